import { _, Name, stringify, type Code, type CodeKeywordDefinition, type KeywordCxt } from 'ajv';
import { LIST_MAP_KEYS, LIST_TYPE, VALIDATIONS, listTypeJudge, validationsJudge, type Judge } from './crd-keyword-judges';

/** How generated code names the judges' module: it is required from a module of src/check, beside it. */
const JUDGES_MODULE = './crd-keyword-judges';

/**
 * The keywords of CRD schemas that validate, for an ajv that compiles CRD schemas: keywords that generate code
 * (https://ajv.js.org/keywords.html, "Define keyword with code generation function"). Each calls its judge
 * (crd-keyword-judges.ts) on the value and reports each fault as an error of the keyword, with the fault's
 * message and `{rule, fieldPath}` as params.
 */
export const CRD_KEYWORDS: readonly CodeKeywordDefinition[] = [
  judgeKeyword(VALIDATIONS, 'array', 'validationsJudge', (cxt) => [cxt.schema, cxt.parentSchema.type ?? null]),
  judgeKeyword(LIST_TYPE, 'string', 'listTypeJudge', (cxt) => [cxt.schema, cxt.parentSchema[LIST_MAP_KEYS] ?? null]),
];

type JudgeMaker = 'validationsJudge' | 'listTypeJudge';
const MAKERS: Record<JudgeMaker, (...args: never[]) => Judge> = { validationsJudge, listTypeJudge };

/** A keyword whose code calls the judge `maker(...args(cxt))` makes. */
function judgeKeyword(keyword: string, schemaType: 'array' | 'string', maker: JudgeMaker, args: (cxt: KeywordCxt) => unknown[]): CodeKeywordDefinition {
  return {
    keyword,
    schemaType,
    error: {
      message: ({ params }) => _`${params.failure}.message`,
      params: ({ params }) => _`{rule: ${params.failure}.rule, fieldPath: ${params.failure}.fieldPath}`,
    },
    code(cxt) {
      const values = args(cxt);
      const judge = cxt.gen.scopeValue('keyword', {
        ref: (MAKERS[maker] as (...a: unknown[]) => Judge)(...values),
        code: _`require(${JUDGES_MODULE}).${new Name(maker)}(${values.map((v) => stringify(v)).reduce((a: Code, b) => _`${a}, ${b}`)})`,
      });
      cxt.gen.forOf('failure', _`${judge}(${cxt.data})`, (failure) => {
        cxt.setParams({ failure });
        cxt.error();
      });
    },
  };
}
