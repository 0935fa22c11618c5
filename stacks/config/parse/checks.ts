import { show } from "../errors";
import { ChecksConfig } from "../model";
import { Reader, at } from "../reader";
import { RULE_IDS, RuleId, UNSUPPRESSIBLE_RULE_IDS, isRuleId } from "../../../contracts/check-rules";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";

const DEFAULTS = CONFIGURATION_DEFAULTS.checks;

/** The `checks` section: `npm run check` findings accepted on purpose, each with its reason. */
export function readChecks(r: Reader, value: unknown): ChecksConfig {
  if (value === undefined) return { suppressions: DEFAULTS.suppressions };
  const o = r.object(value, "checks", ["suppressions"]) ?? {};
  const suppressions = r.array(o, "suppressions", "checks", { default: DEFAULTS.suppressions }).map((item, i) => {
    const path = at(at("checks", "suppressions"), i);
    const s = r.object(item, path, ["rule", "resource", "reason"]) ?? {};
    const rule = r.string(s, "rule", path, { hint: 'a rule id such as "SG-LAMBDA-002"' });
    if (typeof s.rule === "string" && !isRuleId(rule)) {
      r.report(at(path, "rule"), `unknown rule ${show(rule)}; known rules: ${RULE_IDS.join(", ")}`);
    } else if (UNSUPPRESSIBLE_RULE_IDS.includes(rule as RuleId)) {
      r.report(
        at(path, "rule"),
        `${show(rule)} cannot be suppressed: its finding means the synth output must not be planned at all (a scopegate synth never writes one); remove this suppression`,
      );
    }
    const resource = r.string(s, "resource", path, {
      pattern: /^(?!\/)(?!.*\/\/)[^\s*?]+$/,
      hint: 'a construct path such as "authorizer/function", or a prefix of one at a "/"; no wildcards',
    });
    const reason = r.string(s, "reason", path, { hint: "why the finding is acceptable here" });
    if (typeof s.reason === "string" && s.reason.trim() === "") {
      r.report(at(path, "reason"), "must say why the finding is acceptable here, got an empty reason");
    }
    return { rule: rule as RuleId, resource, reason };
  });
  const where = (i: number) => at(at("checks", "suppressions"), i);
  r.unique(suppressions, (s) => `${s.rule} on ${s.resource}`, where, "suppression");
  return { suppressions };
}
