/**
 * The twin's questions to Cedar itself (`@cedar-policy/cedar-wasm`): is it valid against its schema,
 * and what does it answer. The only module that loads the wasm, so a tool pays its load only when it
 * asks; the Lambda authorizer never does (its bundle holds jose and the SigV4 signer only).
 *
 * @packageDocumentation
 */
// First: how the wasm below is compiled (see wasm-tier.ts).
import "./wasm-tier";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { CEDAR_FILES, type CedarEntity, type CedarRequest } from "./render";

/** The twin's files as text, by name inside `cedar/` (what synth writes, or what a tool reads). */
export type CedarTwinTexts = ReadonlyMap<string, string>;

/** The Cedar version the twin is validated and asked with. */
export function cedarVersion(): string {
  return cedar.getCedarVersion();
}

function message(error: cedar.DetailedError): string {
  return error.help === null ? error.message : `${error.message} (${error.help})`;
}

/**
 * Validates the twin's policies against its schema in Cedar's strict mode, and its entities against
 * the schema. Validation errors are problems; the validator's warnings (such as an entity id holding
 * a character outside Unicode's identifier profile, which the configuration refuses anyway) are not.
 *
 * @param texts - the twin's files ({@link CEDAR_FILES})
 * @returns every problem, one line each (`<file>: …`); empty when the twin is valid
 */
export function cedarTwinProblems(texts: CedarTwinTexts): string[] {
  const problems: string[] = [];
  const read = (name: string): unknown => {
    const text = texts.get(name);
    if (text === undefined) {
      problems.push(`${name}: missing`);
      return undefined;
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      problems.push(`${name}: not JSON (${(error as Error).message})`);
      return undefined;
    }
  };
  const schema = read(CEDAR_FILES.schema) as cedar.SchemaJson<string> | undefined;
  const entities = read(CEDAR_FILES.entities) as cedar.Entities | undefined;
  const policies = texts.get(CEDAR_FILES.policies);
  if (policies === undefined) problems.push(`${CEDAR_FILES.policies}: missing`);
  if (schema === undefined || entities === undefined || policies === undefined) return problems;
  const validation = cedar.validate({ validationSettings: { mode: "strict" }, schema, policies: { staticPolicies: policies } });
  if (validation.type === "failure") {
    problems.push(...validation.errors.map((error) => `${CEDAR_FILES.policies}: ${message(error)}`));
  } else {
    problems.push(
      ...validation.validationErrors.map((error) => `${CEDAR_FILES.policies}: policy ${error.policyId}: ${message(error.error)}`),
    );
  }
  const parsed = cedar.checkParseEntities({ entities, schema });
  if (parsed.type === "failure") problems.push(...parsed.errors.map((error) => `${CEDAR_FILES.entities}: ${message(error)}`));
  return problems;
}

let preparsed = 0;

/**
 * Asks the twin questions: its schema and policies are parsed once, then each request is answered by
 * Cedar's authorizer with the request validated against the schema.
 *
 * @param texts - the twin's files
 * @returns a function answering `true` for Allow; it throws when Cedar cannot answer (an invalid request)
 * @throws Error when the twin does not parse
 */
export function cedarAuthorizer(texts: CedarTwinTexts): (request: CedarRequest) => boolean {
  const id = `twin-${++preparsed}`;
  const schema = JSON.parse(texts.get(CEDAR_FILES.schema) ?? "null") as cedar.SchemaJson<string>;
  const entities = JSON.parse(texts.get(CEDAR_FILES.entities) ?? "null") as CedarEntity[];
  const schemaAnswer = cedar.preparseSchema(id, schema);
  if (schemaAnswer.type === "failure") throw new Error(`the twin's schema does not parse: ${schemaAnswer.errors.map(message).join("; ")}`);
  const policyAnswer = cedar.preparsePolicySet(id, { staticPolicies: texts.get(CEDAR_FILES.policies) ?? "" });
  if (policyAnswer.type === "failure") throw new Error(`the twin's policies do not parse: ${policyAnswer.errors.map(message).join("; ")}`);
  // The policies read the principal's attributes only: each request carries the principal's and the
  // resource's entities, not all of them (Cedar checks every entity passed against the schema, per call).
  const byUid = new Map(entities.map((entity) => [`${entity.uid.type}\0${entity.uid.id}`, entity as unknown as cedar.EntityJson]));
  const entitiesOf = (request: CedarRequest): cedar.Entities =>
    [request.principal, request.resource].flatMap((uid) => byUid.get(`${uid.type}\0${uid.id}`) ?? []);
  return (request) => {
    const answer = cedar.statefulIsAuthorized({
      principal: request.principal,
      action: request.action,
      resource: request.resource,
      context: request.context as unknown as cedar.Context,
      preparsedSchemaName: id,
      validateRequest: true,
      preparsedPolicySetId: id,
      entities: entitiesOf(request),
    });
    if (answer.type === "failure")
      throw new Error(`Cedar cannot answer ${JSON.stringify(request)}: ${answer.errors.map(message).join("; ")}`);
    return answer.response.decision === "allow";
  };
}
