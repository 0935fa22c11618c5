import { Construct } from "constructs";
import { TerraformResource, anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl } from "cdktf";

/**
 * Terraform's built-in `terraform_data` resource (Terraform 1.4 or later) with an `input` only: the
 * JSON cdktf's `DataResource` writes, without the construct validation `DataResource` adds, which
 * runs `terraform version` at synth time (cdktf 0.21, `ValidateTerraformVersion`). A synth needs
 * no Terraform CLI; Terraform itself refuses the resource below 1.4 when it plans.
 *
 * @see https://developer.hashicorp.com/terraform/language/resources/terraform-data
 */
export class TerraformData extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly inputValue: Readonly<Record<string, unknown>>,
  ) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" } });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: hashMapper(anyToTerraform)(this.inputValue) };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return { input: hashMapperHcl(anyToHclTerraform)(this.inputValue) };
  }
}
