import { spawnSync } from "child_process";
import * as path from "path";

/**
 * `npm run bench`: times the offline plan of dev and prod against a one-resource baseline
 * program, each through the same harness (mock runtime + policy pack) in a fresh Node process,
 * so that loading the SDK is counted as it is for a user. Prints medians, peak memory and the
 * ratio prod/baseline; the target is prod ≤ 1.5 × baseline (the program's own work stays small
 * next to loading the SDK). Figures, not a test: it never fails on them.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_RATIO = 1.5;
const child = path.join(__dirname, "bench-child.ts");

interface Sample {
    ms: number;
    maxRssMb: number;
    resources: number;
}

function sample(target: string): Sample {
    const result = spawnSync(process.execPath, ["-r", path.join(__dirname, "register.js"), child, target], {
        cwd: path.resolve(__dirname, ".."),
        encoding: "utf8",
    });
    if (result.status !== 0) {
        throw new Error(
            `bench child ${target} exited ${result.status}: ${result.stderr.trim().split("\n").slice(-3).join(" | ")}`,
        );
    }
    const line = result.stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(line) as Sample;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
    const targets = ["baseline", "dev", "prod"];
    const results: Record<string, { ms: number; peakMb: number; resources: number }> = {};
    console.log(`Offline plan benchmark: ${RUNS} runs per target, each in a fresh process (node ${process.version})`);
    for (const target of targets) {
        const samples: Sample[] = [];
        // One warm-up run fills the OS file cache, so the first measured run is not an outlier.
        sample(target);
        for (let i = 0; i < RUNS; i++) {
            samples.push(sample(target));
        }
        results[target] = {
            ms: median(samples.map((s) => s.ms)),
            peakMb: Math.max(...samples.map((s) => s.maxRssMb)),
            resources: samples[0].resources,
        };
        console.log(
            `  ${target.padEnd(9)} median ${results[target].ms.toFixed(0).padStart(6)} ms   peak RSS ${results[target].peakMb.toFixed(0).padStart(5)} MB   ${results[target].resources} resources   (runs: ${samples.map((s) => s.ms.toFixed(0)).join(", ")} ms)`,
        );
    }
    const ratio = results.prod.ms / results.baseline.ms;
    console.log(
        `  ratio prod/baseline: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? "— within target" : "— OVER TARGET"}`,
    );
    console.log(`  memory prod/baseline: ${(results.prod.peakMb / results.baseline.peakMb).toFixed(2)}`);
}

main();
