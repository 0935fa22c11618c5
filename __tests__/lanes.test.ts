import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../testing/app";

// The fast lane (npm run test:unit) leaves out suites by their names alone; this holds every suite
// to the naming, so a suite that starts Terraform, a browser or a local emulator cannot slip into it.

/**
 * What a suite starts, by what it imports or calls, and the name ending it must then have. (A JWKS
 * server or a scripted AWS endpoint on 127.0.0.1 is a few lines of node:http, not an emulator: unit
 * suites may start one. What counts is a call that starts something, not an import: the constants,
 * lookups and client factories of `review/terraform.ts`, `testing/chromium.ts`, `testing/dynalite.ts`
 * and `testing/cognito-local.ts` start nothing.)
 */
const HEAVY: readonly { readonly lane: string; readonly starts: RegExp }[] = [
  { lane: "terraform", starts: /testing\/terraform"|describeWithTerraform|planStackOffline|runTerraform/ },
  { lane: "browser", starts: /describeWithChromium|launchChromium/ },
  { lane: "local", starts: /startAuthorizerFixture|startDynalite|startCognitoLocal/ },
];

function suites(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return suites(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}

test("every suite that starts Terraform, a browser or a local emulator is named for it, so npm run test:unit leaves it out", () => {
  const misnamed: string[] = [];
  for (const file of suites(join(PROJECT_ROOT, "__tests__")).filter((path) => path !== __filename)) {
    const text = readFileSync(file, "utf8");
    const lanes = HEAVY.filter((heavy) => heavy.starts.test(text)).map((heavy) => heavy.lane);
    if (lanes.length === 0) continue;
    if (!lanes.some((lane) => file.endsWith(`.${lane}.test.ts`))) {
      misnamed.push(`${relative(PROJECT_ROOT, file)} starts ${lanes.join(" and ")}: name it *.${lanes[0]}.test.ts`);
    }
  }
  expect(misnamed).toEqual([]);
});

test("the fast lane's configuration leaves out exactly those names, and npm test runs every suite", () => {
  const unit = require("../jest.unit.config.js") as { testPathIgnorePatterns: string[] };
  const ignored = (path: string) => unit.testPathIgnorePatterns.some((pattern) => new RegExp(pattern).test(path));
  expect(HEAVY.map((heavy) => ignored(`__tests__/x.${heavy.lane}.test.ts`))).toEqual([true, true, true]);
  expect(ignored("__tests__/x.test.ts")).toBe(false);
  const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  expect(scripts["test:unit"]).toBe("jest -c jest.unit.config.js");
  expect(scripts.test).toBe("npm run lint && jest");
});

test("jest runs at least two workers: its default on two cores is one, which leaves a core idle while a suite waits on a process it started", () => {
  const full = require("../jest.config.js") as { maxWorkers: number };
  const unit = require("../jest.unit.config.js") as { maxWorkers: number };
  expect(full.maxWorkers).toBeGreaterThanOrEqual(2);
  expect(unit.maxWorkers).toBe(full.maxWorkers);
});
