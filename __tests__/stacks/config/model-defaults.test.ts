/**
 * The `@default` of each field in `stacks/config/model.ts` says how the field behaves when it is left
 * out; where it states a value, that value is the one `CONFIGURATION_DEFAULTS` (`core/defaults.ts`)
 * applies. Read with the compiler's own parser, walking the model from `ScopegateConfig`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { CONFIGURATION_DEFAULTS } from "../../../core/defaults";
import { PROJECT_ROOT } from "../../../testing/app";
import { defaultLeaves } from "../../../testing/config";

const MODEL = join(PROJECT_ROOT, "stacks", "config", "model.ts");

/** The value a `@default` text starts with (JSON, or a backticked name pattern), or undefined for prose. */
function statedValue(text: string): { value: unknown } | undefined {
  const literal = /^(-?\d+(?:\.\d+)?|"[^"]*"|true|false|null|\[\])(?=\s|$)/.exec(text);
  if (literal) return { value: JSON.parse(literal[1]!) };
  const pattern = /^`([^`{]*<name>[^`]*)`(?=\s|$)/.exec(text);
  return pattern ? { value: pattern[1] } : undefined;
}

/**
 * Each field's `@default` text by configuration path (a list's item fields keyed by the list's path),
 * and every field the model declares.
 */
function modelDefaults(): { readonly stated: Map<string, string>; readonly fields: Set<string> } {
  const source = ts.createSourceFile(MODEL, readFileSync(MODEL, "utf8"), ts.ScriptTarget.ES2022, true);
  // the members of each interface, and of each object type in a type alias's union
  const declared = new Map<string, ts.TypeElement[]>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) declared.set(node.name.text, [...node.members]);
    if (ts.isTypeAliasDeclaration(node)) {
      const parts = ts.isUnionTypeNode(node.type) ? node.type.types : [node.type];
      declared.set(
        node.name.text,
        parts.flatMap((part) => (ts.isTypeLiteralNode(part) ? [...part.members] : [])),
      );
    }
  });
  const stated = new Map<string, string>();
  const fields = new Set<string>();
  const walk = (name: string, path: string, seen: ReadonlySet<string>): void => {
    const members = declared.get(name);
    if (members === undefined || seen.has(name)) return;
    for (const member of members) {
      if (!ts.isPropertySignature(member) || member.type === undefined) continue;
      const key = member.name.getText(source);
      const fieldPath = path === "" ? key : `${path}.${key}`;
      fields.add(fieldPath);
      for (const tag of ts.getJSDocTags(member)) {
        if (tag.tagName.text === "default") stated.set(fieldPath, ts.getTextOfJSDocComment(tag.comment)?.trim() ?? "");
      }
      // the declarations the field's type names (itself, a list of it, or a member of a union)
      for (const referenced of member.type.getText(source).matchAll(/\b([A-Z]\w*)\b/g)) {
        walk(referenced[1]!, fieldPath, new Set([...seen, name]));
      }
    }
  };
  walk("ScopegateConfig", "", new Set());
  return { stated, fields };
}

describe("the model's @default comments", () => {
  const { stated, fields } = modelDefaults();
  const applied = defaultLeaves(CONFIGURATION_DEFAULTS);

  test("every value a @default states is the value CONFIGURATION_DEFAULTS applies", () => {
    // GIVEN each field's @default that starts with a value
    const values = [...stated].flatMap(([path, text]) => {
      const value = statedValue(text);
      return value === undefined ? [] : [{ path, stated: value.value, applied: applied[path] }];
    });
    // THEN it is found in the defaults object, with the same value
    expect(values.length).toBeGreaterThan(30);
    expect(values.filter((v) => v.path in applied && JSON.stringify(v.stated) !== JSON.stringify(v.applied))).toEqual([]);
  });

  test("every default CONFIGURATION_DEFAULTS applies to a field of the model has a @default there", () => {
    // (a default of a setting the parser consumes, such as appClients[].allowUserAdminScope, has no model field)
    const onFields = Object.keys(applied).filter((path) => fields.has(path));
    expect(onFields.length).toBeGreaterThan(40);
    expect(onFields.filter((path) => !stated.has(path))).toEqual([]);
  });

  test("the reader finds a value, a name pattern and prose", () => {
    expect(statedValue('"us-east-1"')).toEqual({ value: "us-east-1" });
    expect(statedValue("60 - minutes (5 to 1440)")).toEqual({ value: 60 });
    expect(statedValue("[] - no groups")).toEqual({ value: [] });
    expect(statedValue("`<name>-users`")).toEqual({ value: "<name>-users" });
    expect(statedValue('`{ type: "mock" }` - answers 200')).toBeUndefined();
    expect(statedValue("a local file, `terraform.tfstate` in the stack folder")).toBeUndefined();
  });
});
