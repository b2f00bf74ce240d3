// Preloaded with `node --require` by the benchmark: loads @cdktf/provider-azurerm through its package
// index (the barrel), as code that imports provider classes from the package root would
// (`import { userAssignedIdentity } from '@cdktf/provider-azurerm'`). The index requires every one of
// the provider's resource modules eagerly; the cost measured is that load, nothing else.
'use strict';
require('@cdktf/provider-azurerm');
