import { FAILING_SEVERITIES, SEVERITIES, atOrAbove, compareSeverity, countBySeverity, highestSeverity } from "../../core/severity";

describe("severity", () => {
  test("orders the scale most severe first", () => {
    expect([...SEVERITIES].reverse().sort(compareSeverity)).toEqual(["critical", "high", "medium", "low", "info"]);
    expect(atOrAbove("critical", "high")).toBe(true);
    expect(atOrAbove("medium", "high")).toBe(false);
    expect(atOrAbove("high", "high")).toBe(true);
  });

  test("info fails no check: it is at or above no failing severity", () => {
    expect(FAILING_SEVERITIES).not.toContain("info");
    expect(FAILING_SEVERITIES.filter((threshold) => atOrAbove("info", threshold))).toEqual([]);
  });

  test("counts and finds the highest of a list", () => {
    const items = [{ severity: "low" }, { severity: "high" }, { severity: "low" }] as const;
    expect(countBySeverity(items)).toEqual({ critical: 0, high: 1, medium: 0, low: 2, info: 0 });
    expect(highestSeverity(items)).toBe("high");
    expect(highestSeverity([])).toBeUndefined();
  });
});
