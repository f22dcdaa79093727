/**
 * The offline plan's record types. They live in the policy pack (policy/plan-types.ts) because the
 * pack's runner evaluates rules on them and the pack imports nothing outside policy/; tools and
 * tests keep importing them from here.
 */
export * from "../policy/plan-types";
