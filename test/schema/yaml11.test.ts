/**
 * The YAML 1.1 readings of plain scalars: go-yaml v2's (Kubernetes) and PyYAML's (authentik),
 * value by value, where they differ from YAML 1.2 and from each other.
 */
import { expect, test } from "bun:test";
import { kubernetesPlainValue, pyyamlPlainValue } from "../../src/schema/yaml11.ts";

/** text → [Kubernetes's value, authentik's value]. */
const readings: [string, unknown, unknown][] = [
  ["yes", true, true],
  ["Yes", true, true],
  ["YES", true, true],
  ["yEs", "yEs", "yEs"],
  ["y", true, "y"],
  ["N", false, "N"],
  ["on", true, true],
  ["Off", false, false],
  ["TRUE", true, true],
  ["~", null, null],
  ["", null, null],
  ["0755", 493, 493],
  ["08", 8, "08"],
  ["0o17", 15, "0o17"],
  ["0x1F", 31, 31],
  ["0b101", 5, 5],
  ["-0b1", -1, -1],
  ["1_000", 1000, 1000],
  ["+12", 12, 12],
  ["1e3", 1000, "1e3"],
  ["1.5e+3", 1500, 1500],
  [".5", 0.5, 0.5],
  ["-.inf", Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
  ["12:30", "12:30", 750],
  ["1:20.5", "1:20.5", 80.5],
  ["2024-01-01", "2024-01-01", "2024-01-01"],
  ["9223372036854775808", 9223372036854775808, 9223372036854775808],
  ["1e400", "1e400", "1e400"],
  ["-", "-", "-"],
  ["app", "app", "app"],
];

for (const [text, kubernetes, authentik] of readings) {
  test(`${JSON.stringify(text)} is ${String(kubernetes)} to Kubernetes and ${String(authentik)} to authentik`, () => {
    expect(kubernetesPlainValue(text)).toBe(kubernetes as never);
    expect(pyyamlPlainValue(text)).toBe(authentik as never);
  });
}
