/**
 * Where an issuer's two documents live below the issuer URL: blob names in the storage container,
 * file paths under OUT/oidc/<issuer>/. Entra appends them to the issuer with any trailing `/` dropped.
 */
export const DISCOVERY_PATH = '.well-known/openid-configuration';
export const JWKS_PATH = 'openid/v1/jwks';

/** Content type both documents are served with. */
export const OIDC_CONTENT_TYPE = 'application/json';
