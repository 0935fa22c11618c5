/**
 * What a head output makes Terraform do on the machine that plans it: the check `SG-TF-001`
 * (`checks/rules/terraform.ts`) applied to every stack of the head, as review flags under the same
 * id and severity. The review reports what the head holds, whatever the base held: a head that
 * reads a file is flagged even when its base read it too, because planning the head reads it again.
 *
 * @packageDocumentation
 */
import { readdirSync } from "node:fs";
import { TERRAFORM_EVALUATION_RULE } from "../../checks/rules/terraform";
import { StackTemplate } from "../../checks/terraform";
import type { SynthOutput } from "../load";
import { RiskFlag } from "../model";
import { RISK_RULES } from "./rules";

const RULE = RISK_RULES.find((rule) => rule.id === TERRAFORM_EVALUATION_RULE.id) as (typeof RISK_RULES)[number];

/** Terraform reads every file of a stack's folder with one of these endings, not only `cdk.tf.json`. */
const TERRAFORM_FILE = /\.(tf|tf\.json|tofu|tofu\.json)$/;

/**
 * The `SG-TF-001` flags of a head output: every expression the check finds, by stack, named by
 * construct path (by address for blocks other than resources); and, for a head read from disk,
 * every other Terraform file in a stack's folder (Terraform would read it with `cdk.tf.json`, and
 * nothing here checks it).
 */
export function evaluationRisks(head: SynthOutput): RiskFlag[] {
  const flags: RiskFlag[] = [];
  for (const [stack, tf] of head.stacks) {
    for (const found of TERRAFORM_EVALUATION_RULE.check(new StackTemplate(stack, tf))) {
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
    const folder = head.stackDirs?.get(stack);
    for (const file of folder === undefined ? [] : otherTerraformFiles(folder)) {
      flags.push({
        rule: RULE.id,
        severity: RULE.severity,
        stack,
        path: file,
        address: file,
        attribute: "",
        summary: `${file} sits next to cdk.tf.json: Terraform reads it too, and nothing checks it`,
        why: RULE.why,
      });
    }
  }
  return flags;
}

function otherTerraformFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => TERRAFORM_FILE.test(name) && name !== "cdk.tf.json")
      .sort();
  } catch {
    return [];
  }
}
