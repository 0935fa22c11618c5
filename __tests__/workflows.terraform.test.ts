import { MIRROR_ENV, findProviderMirror } from "../review/terraform";
import { AWS_PROVIDER_VERSION, describeWithTerraform } from "../testing/terraform";
import { CI_WORKFLOW, readWorkflow, removeStepScratch, runStep, stepNamed } from "../testing/workflow";

// The CI workflow's provider mirror step, run with Terraform; the workflow's other tests are in workflows.test.ts.

afterAll(removeStepScratch);

describe("the CI workflow", () => {
  const testSteps: any[] = readWorkflow(CI_WORKFLOW).jobs.test.steps;

  describeWithTerraform("the provider mirror step", (tf) => {
    test("fills a mirror that the Terraform tests find through SCOPEGATE_TF_PLUGIN_MIRROR", () => {
      // Here Terraform installs from the local mirror; on the runner, from the registry.
      const result = runStep(stepNamed(testSteps, "Mirror the AWS provider").run, tf.env);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const mirror = result.exported[MIRROR_ENV];
      expect(mirror).toMatch(/terraform-plugins$/);
      expect(findProviderMirror(AWS_PROVIDER_VERSION, undefined, { [MIRROR_ENV]: mirror })).toBe(mirror);
    });
  });
});
