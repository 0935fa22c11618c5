import { Construct } from "constructs";
import { TerraformElement, TerraformResource } from "cdktf";

/** Props of {@link ImportBlock}. */
export interface ImportBlockProps {
  /** The resource the existing object is imported into. */
  readonly resource: TerraformResource;
  /** The provider's import id of the existing object (each resource page's "Import" section). */
  readonly id: string;
}

/**
 * A Terraform `import` block (Terraform 1.5 or later): the first plan reads the existing object with
 * `id` into `resource`'s address instead of creating it; once it is in state the block changes
 * nothing. Written as `{ "import": [{ "to": "<type>.<name>", "id": "<id>" }] }`, the shape cdktf's
 * own `TerraformResource.importFrom` writes.
 *
 * Why not `importFrom`: it adds a construct validation that runs `terraform version` for every
 * imported resource at synth time (cdktf 0.21, `ValidateTerraformVersion`), so a synth would need the
 * Terraform CLI on PATH and would spawn it once per resource; synth needs no Terraform, and skipping
 * validation for the whole app would also skip every other validation. The version this needs is
 * stated where Terraform reads it: every stack requires Terraform 1.5 or later (`required_version`
 * of the hand-off), and `terraform plan` itself refuses an `import` block below 1.5.
 *
 * @see https://developer.hashicorp.com/terraform/language/import
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#import-blocks
 */
export class ImportBlock extends TerraformElement {
  /** The address imported into, `<type>.<logical id>`. */
  get to(): string {
    return `${this.props.resource.terraformResourceType}.${this.props.resource.friendlyUniqueId}`;
  }

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ImportBlockProps,
  ) {
    super(scope, id, "import");
  }

  /** The block, merged into the stack's top-level `import` list with the stack's other imports. */
  override toTerraform(): { import: { to: string; id: string }[] } {
    return { import: [{ to: this.to, id: this.props.id }] };
  }

  /** The same block for cdktf's HCL output (`cdktf synth --hcl`). */
  override toHclTerraform(): Record<string, unknown> {
    return {
      import: [
        {
          to: { value: this.to, type: "simple", storageClassType: "reference" },
          id: { value: this.props.id, type: "simple", storageClassType: "string" },
        },
      ],
    };
  }

  /** cdktf's manifest lists imported resources by type, as `importFrom` does. */
  override toMetadata(): Record<string, unknown> {
    return { imports: { [this.props.resource.terraformResourceType]: [this.props.resource.friendlyUniqueId] } };
  }
}
