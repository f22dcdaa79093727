/**
 * The Fargate task sizes AWS accepts, written once for the stack config and for FargateService.
 *
 * Source: "Amazon ECS task definition parameters for Fargate", Task size
 * (docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size):
 * each CPU value allows a fixed memory range in fixed steps; 8 and 16 vCPU need Linux platform
 * version 1.4.0 or later, which `LATEST` is. Any other pair is rejected by RegisterTaskDefinition
 * ("No Fargate configuration exists for given values") — at deploy time, not at preview, so we
 * check it before anything is declared.
 */

/** Whole MiB from `from` to `to` inclusive, in steps of `step`. */
function steps(from: number, to: number, step: number): number[] {
    return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** Task CPU units → the task memory values (MiB) Fargate accepts with it. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: steps(1024, 4096, 1024),
    1024: steps(2048, 8192, 1024),
    2048: steps(4096, 16384, 1024),
    4096: steps(8192, 30720, 1024),
    8192: steps(16384, 61440, 4096),
    16384: steps(32768, 122880, 8192),
};

/** Task CPU units Fargate accepts, smallest first. */
export const FARGATE_CPUS: readonly number[] = Object.keys(FARGATE_SIZES)
    .map(Number)
    .sort((a, b) => a - b);

/**
 * Why `cpu`/`memory` is not a Fargate task size, or `undefined` when it is.
 * The message names the allowed values so one line is enough to fix the config.
 */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
    const memories = FARGATE_SIZES[cpu];
    if (!memories) return `cpu ${cpu} is not a Fargate task size; allowed: ${FARGATE_CPUS.join(", ")}`;
    if (memories.includes(memory)) return undefined;
    const first = memories[0];
    const last = memories[memories.length - 1];
    const step = memories.length > 1 ? memories[1] - first : 0;
    const allowed = memories.length <= 3 ? memories.join(", ") : `${first}-${last} in steps of ${step}`;
    return `memory ${memory} does not go with cpu ${cpu} on Fargate; allowed: ${allowed}`;
}
