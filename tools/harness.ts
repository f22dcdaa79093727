import * as path from "path";

/**
 * The offline plan's harness: the mock runtime runner lives in testing/ (the library's
 * `groundwork/testing` entry, so other projects test our components the way we do); what only
 * this repository's command-line tools need stays here.
 */
export { ProgramError, runProgram } from "../testing/program";
export type { RunOptions, RunResult } from "../testing/program";

/**
 * Makes stack traces cheap for the rest of the process, for the offline plan's own entry points.
 * The Pulumi SDK captures `new Error().stack` for every resource and every promise it tracks
 * (source positions, leak diagnostics), and ts-node maps each trace through source maps: together
 * a third of a plan's run time. The plan prints error messages, not stack traces, so nothing it
 * shows changes; `GROUNDWORK_DEBUG=1` keeps full, source-mapped traces. Tests keep them too.
 */
export function trimStackTraces(): void {
    if (process.env.GROUNDWORK_DEBUG) {
        return;
    }
    // V8's own formatting (no source maps); the property is optional at runtime, typed as required.
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    Error.stackTraceLimit = 0;
}

/**
 * Forgets this project's modules so that a program can be evaluated again in the same process
 * (the plan benchmark and tests run dev and prod one after the other). Dependencies stay loaded.
 */
export function forgetProjectModules(root: string): void {
    const nodeModules = `${path.sep}node_modules${path.sep}`;
    for (const file of Object.keys(require.cache)) {
        if (
            file.startsWith(root) &&
            !file.includes(nodeModules) &&
            !file.includes(`${path.sep}tools${path.sep}`) &&
            !file.includes(`${path.sep}testing${path.sep}`)
        ) {
            delete require.cache[file];
        }
    }
}
