/**
 * The Terraform AWS provider the stacks are written for: the one `@cdktf/provider-aws`'s bindings are
 * generated from, as its package.json records it (`cdktf.provider`). The one place the version is
 * read; the workflow's provider mirror and the hand-off's recorded block schema are held to it by tests.
 *
 * @packageDocumentation
 */
import bindings from "@cdktf/provider-aws/package.json";

/** `registry.terraform.io/hashicorp/aws` and its version (5.100.0 for the pinned bindings). */
export const AWS_PROVIDER: { readonly name: string; readonly version: string } = bindings.cdktf.provider;
