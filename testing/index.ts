/**
 * `groundwork/testing`: what a unit test of Groundwork's components needs, in another project as in
 * this one. `createMocks()` is a `pulumi.runtime.Mocks` answering the provider functions the
 * components call (account 123456789012, partition `aws`, the region you give) and resource
 * registrations with plausible IDs and ARNs; `runProgram()` runs a program under those mocks and
 * records what the engine would receive for every resource (the offline plan's runner).
 *
 * The policy pack's offline evaluation is the sibling entry `groundwork/testing/policy`
 * (`checkPolicies` over `runProgram()`'s resources). It is separate because it needs `@pulumi/policy`,
 * an optional peer dependency: this entry, like the main one, never loads it.
 */
export { createMocks, MOCK_ACCOUNT_ID } from "./mocks";
export type { MockOptions } from "./mocks";
export { runProgram, ProgramError } from "./program";
export type { RunOptions, RunResult } from "./program";
export { UNKNOWN_SENTINEL, SECRET_PLACEHOLDER } from "../policy/plan-types";
export type { PlannedResource, PlannedResourceOptions } from "../policy/plan-types";
