/**
 * The fast lane (`npm run test:unit`): every suite that starts no Terraform, browser or local
 * emulator. A suite that does is named for it (`*.terraform.test.ts`, `*.browser.test.ts`,
 * `*.local.test.ts`: dynalite, cognito-local and the JWKS server of the authorizer fixture), and
 * `__tests__/lanes.test.ts` holds every suite to that naming.
 */
const base = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ["/node_modules/", "\\.(terraform|browser|local)\\.test\\.ts$"],
};
