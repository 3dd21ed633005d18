/**
 * How Kubernetes reads a plain (unquoted) scalar. kubectl, Argo CD, Flux and the API server turn
 * YAML into JSON with sigs.k8s.io/yaml, which decodes with go-yaml v2: YAML 1.1's booleans and
 * numbers, not YAML 1.2's. `yes` is the boolean true there, `0755` the integer 493 and `1_000`
 * the integer 1000, where a YAML 1.2 reader sees the string "yes", the integer 755 and the
 * string "1_000". YAMLToJSON passes no target type, so a boolean or number stays one and the API
 * server, decoding into its typed struct, rejects it where a string is due ("cannot unmarshal
 * bool into Go struct field EnvVar.spec.template.spec.containers.env.value of type string").
 *
 * This follows go-yaml v2's resolve.go, not the YAML 1.1 type repository: its booleans include
 * y/Y/n/N but no mixed casing beyond Yes/YES, base-60 numbers (`12:30`) are deliberately not
 * supported and stay strings, and a number is whatever Go's strconv.ParseInt (base 0: `0x`,
 * `0o`, `0b` and a leading `0` for octal), ParseUint or ParseFloat accepts once `_` is removed.
 * Timestamps stay strings when decoded into an interface, as YAMLToJSON does.
 */

const mapped = new Map<string, boolean | null | number>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map((text) => [text, true] as const),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map((text) => [text, false] as const),
  ...["", "~", "null", "Null", "NULL"].map((text) => [text, null] as const),
  ...[".nan", ".NaN", ".NAN"].map((text) => [text, Number.NaN] as const),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((text) => [text, Number.POSITIVE_INFINITY] as const),
  ...["-.inf", "-.Inf", "-.INF"].map((text) => [text, Number.NEGATIVE_INFINITY] as const),
]);

/** Go's strconv.ParseInt and ParseUint with base 0: a sign (ParseInt only), then a prefix. */
const goInteger = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]?([0-7]+)|0[bB]([01]+)|([1-9][0-9]*|0))$/u;

/** go-yaml v2's `yamlStyleFloat`, tried when the text is no integer. */
const goYamlFloat = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/u;

/** A decimal no wider than a double holds exactly: no sign, prefix, `_` or leading zero. */
const smallDecimal = /^(?:[1-9][0-9]{0,14}|0)$/u;

const int64Min = -(2n ** 63n);
const uint64Max = 2n ** 64n - 1n;

function integer(text: string): number | undefined {
  const match = goInteger.exec(text);
  if (!match) return undefined;
  const [, sign, hex, octal, binary, decimal] = match;
  const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : octal !== undefined ? BigInt(`0o${octal}`) : binary !== undefined ? BigInt(`0b${binary}`) : BigInt(decimal!);
  const value = sign === "-" ? -magnitude : magnitude;
  // Past int64, ParseUint still takes a positive value up to uint64 (it accepts no sign).
  if (value < int64Min || value > uint64Max || (value >= 2n ** 63n && sign !== "")) return undefined;
  return Number(value);
}

/**
 * The value Kubernetes reads from a plain scalar written as `text`: a boolean, null, a number,
 * or the text itself.
 */
export function kubernetesPlainValue(text: string): unknown {
  if (mapped.has(text)) return mapped.get(text);
  const first = text[0];
  if (first === ".") {
    const value = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/u.test(text) ? Number(text) : Number.NaN;
    return Number.isFinite(value) ? value : text;
  }
  if (first === undefined || !"+-0123456789".includes(first)) return text;
  // The common case, a port or a count: a plain decimal reads the same in every YAML.
  if (smallDecimal.test(text)) return Number(text);
  const plain = text.replaceAll("_", "");
  const whole = integer(plain);
  if (whole !== undefined) return whole;
  if (goYamlFloat.test(plain)) {
    // ParseFloat fails with ErrRange past float64's range, and the text stays a string.
    const value = Number(plain);
    if (Number.isFinite(value)) return value;
  }
  return text;
}

/**
 * PyYAML's SafeLoader resolvers (resolver.py), which authentik's BlueprintLoader extends: YAML
 * 1.1's booleans without the single letters (`y` and `n` are strings), integers with `_`,
 * `0b`, `0x`, a leading `0` for octal and base 60 (`12:30` is 750), and floats that need a dot
 * (`1e3` is a string, `1.5e+3` a float).
 */
const pyyamlBoolean = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$|^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/u;
const pyyamlTrue = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/u;
const pyyamlNull = /^(?:~|null|Null|NULL|)$/u;
const pyyamlInteger = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/u;
const pyyamlFloat =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/u;

/** `12:30:05` → 12·3600 + 30·60 + 5, as PyYAML's constructors compute base 60. */
function base60(parts: readonly number[]): number {
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/** PyYAML's construct_yaml_int; undefined where it would fail (`0b_`), which no value survives. */
function pyyamlIntegerValue(text: string): number | undefined {
  let digits = text.replaceAll("_", "");
  const sign = digits.startsWith("-") ? -1 : 1;
  if (digits.startsWith("-") || digits.startsWith("+")) digits = digits.slice(1);
  if (digits === "") return undefined;
  if (digits.includes(":")) return sign * base60(digits.split(":").map(Number));
  const prefixed = /^0([bx])(.*)$/u.exec(digits);
  if (prefixed) {
    if (prefixed[2] === "") return undefined;
    return sign * Number.parseInt(prefixed[2]!, prefixed[1] === "b" ? 2 : 16);
  }
  return sign * Number.parseInt(digits, digits.length > 1 && digits.startsWith("0") ? 8 : 10);
}

/** PyYAML's construct_yaml_float. */
function pyyamlFloatValue(text: string): number {
  let digits = text.replaceAll("_", "").toLowerCase();
  const sign = digits.startsWith("-") ? -1 : 1;
  if (digits.startsWith("-") || digits.startsWith("+")) digits = digits.slice(1);
  if (digits === ".inf") return sign * Number.POSITIVE_INFINITY;
  if (digits === ".nan") return Number.NaN;
  if (digits.includes(":")) {
    const parts = digits.split(":").map(Number);
    return sign * (base60(parts.slice(0, -1)) * 60 + parts.at(-1)!);
  }
  return sign * Number(digits.endsWith(".") ? digits.slice(0, -1) : digits);
}

/**
 * The value authentik's blueprint loader (PyYAML's SafeLoader) reads from a plain scalar written
 * as `text`: a boolean, null, a number, or the text itself. Timestamps (`2024-01-01`), which
 * PyYAML makes dates, are left as the text.
 */
export function pyyamlPlainValue(text: string): unknown {
  if (pyyamlBoolean.test(text)) return pyyamlTrue.test(text);
  if (pyyamlNull.test(text)) return null;
  if (pyyamlFloat.test(text)) return pyyamlFloatValue(text);
  if (pyyamlInteger.test(text)) return pyyamlIntegerValue(text) ?? text;
  return text;
}
