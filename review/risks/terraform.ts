/**
 * What a head output makes Terraform do on the machine that plans it: the check `SG-TF-001`
 * (`checks/rules/terraform.ts`) applied to every stack of the head, as review flags under the same
 * id and severity. The review reports what the head holds, whatever the base held: a head that
 * reads a file is flagged even when its base read it too, because planning the head reads it again.
 *
 * @packageDocumentation
 */
import { otherTerraformFiles } from "../../checks/output";
import { TERRAFORM_EVALUATION_RULE } from "../../checks/rules/terraform";
import { StackTemplate } from "../../core/terraform-json/document";
import type { SynthOutput } from "../load";
import { RiskFlag } from "../model";
import { RISK_RULES } from "./rules";

const RULE = RISK_RULES.find((rule) => rule.id === TERRAFORM_EVALUATION_RULE.id) as (typeof RISK_RULES)[number];

/**
 * The `SG-TF-001` flags of a head output: everything the check finds, by stack, named by
 * construct path (by address for blocks other than resources); for a head read from disk, with
 * the other Terraform files of each stack's folder, as `npm run check` reads them.
 */
export function evaluationRisks(head: SynthOutput): RiskFlag[] {
  const flags: RiskFlag[] = [];
  for (const [stack, tf] of head.stacks) {
    const folder = head.stackDirs?.get(stack);
    const template = new StackTemplate(stack, tf, folder === undefined ? [] : otherTerraformFiles(folder));
    for (const found of TERRAFORM_EVALUATION_RULE.check(template)) {
      flags.push({
        rule: RULE.id,
        severity: RULE.severity,
        stack,
        path: found.resource.path,
        address: found.resource.address,
        attribute: found.attribute,
        summary: found.detail,
        why: RULE.why,
      });
    }
  }
  return flags;
}
