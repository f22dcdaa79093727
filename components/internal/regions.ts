import type * as pulumi from "@pulumi/pulumi";
import { Region } from "@pulumi/aws/types/enums";

/**
 * The regions Groundwork can deploy to, checked the same way by stack config and by components
 * (`Database.drRegion`), with a "did you mean" for a misspelt one.
 */

/**
 * Every region the AWS provider can target: its own `Region` enum (`@pulumi/aws/types/enums`),
 * so a provider upgrade brings new regions with it.
 */
export const PROVIDER_REGIONS: readonly string[] = Object.values(Region);

/**
 * Partitions whose service principals and DNS names are not `amazonaws.com`. The components build
 * service principals as `<service>.amazonaws.com` (and `logs.<region>.amazonaws.com`), which those
 * partitions do not accept (China uses `amazonaws.com.cn`); ARNs already take the partition from
 * `aws.getPartition`. GovCloud (`us-gov-*`) uses `amazonaws.com` and is supported.
 * DNS suffixes from the AWS SDK's partitions table (@aws-sdk/core util-endpoints partitions.js).
 */
const UNSUPPORTED_PARTITIONS: readonly { prefix: RegExp; partition: string; dnsSuffix: string }[] = [
    { prefix: /^cn-/, partition: "aws-cn (China)", dnsSuffix: "amazonaws.com.cn" },
    { prefix: /^eusc-/, partition: "aws-eusc (European Sovereign Cloud)", dnsSuffix: "amazonaws.eu" },
    { prefix: /^us-isob-/, partition: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov" },
    { prefix: /^us-isof-/, partition: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov" },
    { prefix: /^eu-isoe-/, partition: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk" },
    { prefix: /^us-iso-/, partition: "aws-iso", dnsSuffix: "c2s.ic.gov" },
];

/** The regions Groundwork deploys to: the provider's regions in partitions that use `amazonaws.com`. */
export const SUPPORTED_REGIONS: readonly string[] = PROVIDER_REGIONS.filter(
    (r) => !UNSUPPORTED_PARTITIONS.some((p) => p.prefix.test(r)),
);

/** Why `region` cannot be used, as the rest of a one-line config error; undefined when it can. */
export function regionProblem(region: string): string | undefined {
    const partition = UNSUPPORTED_PARTITIONS.find((p) => p.prefix.test(region));
    if (partition && PROVIDER_REGIONS.includes(region)) {
        return `${JSON.stringify(region)} is in the ${partition.partition} partition, which Groundwork does not support: its service principals end in ${partition.dnsSuffix}, not amazonaws.com`;
    }
    if (!SUPPORTED_REGIONS.includes(region)) {
        const hint = closest(region, SUPPORTED_REGIONS);
        return `${JSON.stringify(region)} is not an AWS region${hint ? ` (did you mean ${hint}?)` : ""}; regions: ${SUPPORTED_REGIONS.join(", ")}`;
    }
    return undefined;
}

/** Levenshtein distance, for "did you mean" hints on misspelt keys and flags. */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
        }
        previous = current;
    }
    return previous[b.length];
}

/** The candidate nearest to `word`, if it is near enough to be a likely typo (case-insensitive). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    // A third of the word may be wrong (at least 2 edits: a swapped pair of letters).
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** The region of a literal ARN (`arn:<partition>:<service>:<region>:…`); undefined for an Output. */
export function arnRegion(value: pulumi.Input<string> | undefined): string | undefined {
    return typeof value === "string" ? value.split(":")[3] : undefined;
}
