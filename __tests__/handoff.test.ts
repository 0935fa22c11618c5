import { tmpdir } from "node:os";
import { PROJECT_ROOT, runSynth } from "../testing/app";
import { checkoutElsewhere, tree } from "../testing/checkout";

// What a synth hands off; a stack folder copied alone and run by Terraform is in handoff.terraform.test.ts.

describe("hand-off", () => {
  test("two synths of the same commit in different folders are byte-identical, assets included", () => {
    // GIVEN the project in its own folder and in a copy elsewhere
    const elsewhere = checkoutElsewhere();
    // WHEN each synthesizes
    const here = runSynth();
    const there = runSynth({}, elsewhere);
    expect([here.status, there.status]).toEqual([0, 0]);
    // THEN the outputs are the same, file for file and byte for byte
    const a = tree(here.outdir);
    const b = tree(there.outdir);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, content] of a) expect({ file, same: content.equals(b.get(file) as Buffer) }).toEqual({ file, same: true });
    expect([...a.keys()].some((f) => f.endsWith("authorizer.zip"))).toBe(true);
  });

  test("the output names no path, user or machine of the place it was made in", () => {
    const run = runSynth();
    const needles = [PROJECT_ROOT, tmpdir(), process.env.HOME, process.env.USER].filter((n): n is string => !!n && n.length > 2);
    for (const [file, content] of tree(run.outdir)) {
      const text = content.toString("latin1");
      for (const needle of needles)
        expect({ file, contains: needle, found: text.includes(needle) }).toEqual({ file, contains: needle, found: false });
    }
  });
});
