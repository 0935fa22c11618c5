import { flagged, reviewOutputs, synthOutputOf } from "../../testing/review";
import { exampleConfig } from "../../testing/synth";

const STACK = "scopegate-example";
const ARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyZ";

/** The example attached to the pool of `arn`. */
const attachedTo = (arn: string, domain = true) =>
  synthOutputOf(
    exampleConfig((doc) => {
      doc.userPool = { existing: { arn }, ...(domain ? { domainPrefix: "scopegate-example-auth" } : {}) };
      doc.users = doc.users.map((user: any) => ({ username: user.username, existing: true }));
    }),
  );

describe("review of an attached pool", () => {
  test("attaching a stack that created its pool to an existing one flags the created pool's removal as critical", () => {
    const review = reviewOutputs(synthOutputOf(), attachedTo(ARN));
    expect(flagged(review.report.flags, "user-pool-destroyed")).toEqual([
      expect.objectContaining({ severity: "critical", path: `${STACK}/user-pool/pool`, summary: expect.stringContaining("removed") }),
    ]);
  });

  test("a change of userPool.existing.arn is critical, once, naming both pools", () => {
    const review = reviewOutputs(attachedTo(ARN), attachedTo(ARN.replace("AbC123xyZ", "ZyX321cbA")), "critical");
    expect(flagged(review.report.flags, "attached-pool-changed")).toEqual([
      {
        severity: "critical",
        path: `${STACK}/resource-server-api.example.com/server`,
        attribute: "user_pool_id",
        summary:
          "user_pool_id us-east-1_AbC123xyZ → us-east-1_ZyX321cbA: everything the stack made in the pool is re-created in another one",
      },
    ]);
    expect(review.exitCode).toBe(1);
  });

  test("the change is flagged where the pool keeps its own domain too", () => {
    const review = reviewOutputs(attachedTo(ARN, false), attachedTo(ARN.replace("AbC123xyZ", "ZyX321cbA"), false));
    expect(flagged(review.report.flags, "attached-pool-changed").map((flag) => flag.severity)).toEqual(["critical"]);
  });

  test("an unchanged attached stack raises nothing", () => {
    expect(reviewOutputs(attachedTo(ARN), attachedTo(ARN)).report.flags).toEqual([]);
  });
});
