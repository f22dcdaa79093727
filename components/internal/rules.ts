/**
 * Rules that both the stack config (`stacks/`) and the data-store components check, written once.
 * Each `…Problem` function returns the phrase that follows the offending value ("is too low for
 * …") or undefined; config reports it as `groundwork:<key>: <value> <phrase>`, components through
 * `ArgChecker.rule` as `args.<arg> is <value>, which <phrase>`. Pure: nothing here touches Pulumi.
 */

// ---- Windows ---------------------------------------------------------------------------------

/** A daily window in UTC, `hh:mm-hh:mm` (RDS backups, ElastiCache snapshots). */
export const DAILY_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
/** A weekly window in UTC, `ddd:hh:mm-ddd:hh:mm` (maintenance). */
export const WEEKLY_WINDOW =
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

const minuteOfDay = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A daily window (`hh:mm-hh:mm`, may cross midnight) as its start minute and length. */
function dailySpan(window: string): { start: number; length: number } {
    const [from, to] = window.split("-");
    const start = minuteOfDay(from);
    return { start, length: (minuteOfDay(to) - start + MINUTES_PER_DAY) % MINUTES_PER_DAY };
}

/** A weekly window (`ddd:hh:mm-ddd:hh:mm`, may cross the week's end) as its start minute of the week and length. */
function weeklySpan(window: string): { start: number; length: number } {
    const [from, to] = window
        .split("-")
        .map((part) => DAYS.indexOf(part.slice(0, 3)) * MINUTES_PER_DAY + minuteOfDay(part.slice(4)));
    return { start: from, length: (to - from + MINUTES_PER_WEEK) % MINUTES_PER_WEEK };
}

/** A daily window in the right format and at least `minMinutes` long (RDS backups 30, ElastiCache snapshots 60). */
export function dailyWindowProblem(window: string, minMinutes: number): string | undefined {
    if (!DAILY_WINDOW.test(window)) {
        return "is not a daily window; expected hh:mm-hh:mm in UTC";
    }
    return dailySpan(window).length < minMinutes
        ? `is shorter than ${minMinutes} minutes, the least AWS accepts`
        : undefined;
}

/** A weekly window in the right format and at least `minMinutes` long (RDS maintenance 30, ElastiCache 60). */
export function weeklyWindowProblem(window: string, minMinutes: number): string | undefined {
    if (!WEEKLY_WINDOW.test(window)) {
        return "is not a weekly window; expected ddd:hh:mm-ddd:hh:mm in UTC";
    }
    return weeklySpan(window).length < minMinutes
        ? `is shorter than ${minMinutes} minutes, the least AWS accepts`
        : undefined;
}

/**
 * A daily backup window against the weekly maintenance window (both valid): RDS refuses a backup
 * window that conflicts with the maintenance window (CreateDBInstance, PreferredBackupWindow).
 */
export function windowsOverlapProblem(daily: string, weekly: string): string | undefined {
    const backup = dailySpan(daily);
    const maintenance = weeklySpan(weekly);
    const inMaintenance = (minute: number) =>
        (minute - maintenance.start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK < maintenance.length;
    for (let day = 0; day < 7; day++) {
        for (let m = 0; m < backup.length; m++) {
            if (inMaintenance((day * MINUTES_PER_DAY + backup.start + m) % MINUTES_PER_WEEK)) {
                return `overlaps the maintenance window ${weekly}; RDS needs them apart`;
            }
        }
    }
    return undefined;
}

// ---- Names -----------------------------------------------------------------------------------

/** A PostgreSQL database or user name RDS accepts: a letter, then up to 62 letters, digits or underscores. */
export const SQL_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
/** Master user names RDS for PostgreSQL reserves for itself. */
export const RESERVED_POSTGRES_USERS = ["rdsadmin", "rdsrepladmin", "rds_superuser"] as const;

/** A database or master user name RDS for PostgreSQL accepts. */
export function sqlNameProblem(value: string, role: "database" | "user"): string | undefined {
    if (!SQL_NAME.test(value)) {
        return "is not a valid name: a letter, then up to 62 letters, digits or underscores";
    }
    if (role === "user" && (RESERVED_POSTGRES_USERS as readonly string[]).includes(value.toLowerCase())) {
        return `is reserved by RDS (${RESERVED_POSTGRES_USERS.join(", ")})`;
    }
    return undefined;
}

// ---- PostgreSQL versions ---------------------------------------------------------------------

/**
 * PostgreSQL major versions Groundwork supports (each has a `postgres<major>` parameter group
 * family). 13 is not among them: its RDS standard support has ended, so RDS would either enrol a
 * new instance in paid Extended Support (the API default) or, with Extended Support disabled as
 * Groundwork sets it, refuse to create it. See `Database`'s `engineVersion`.
 */
export const POSTGRES_MAJOR_VERSIONS = [14, 15, 16, 17] as const;

/** `"16"` or `"16.4"` with a supported major. */
export function postgresVersionProblem(version: string): string | undefined {
    const major = Number(version.split(".")[0]);
    if (!/^\d+(\.\d+)?$/.test(version) || !(POSTGRES_MAJOR_VERSIONS as readonly number[]).includes(major)) {
        return `is not a supported PostgreSQL version; use a major version (${POSTGRES_MAJOR_VERSIONS.join(", ")}), optionally with a minor, e.g. "16" or "16.4"`;
    }
    return undefined;
}

/** Whether a version pins a minor (`16.4`) rather than following the major's newest minor (`16`). */
export function pinsMinorVersion(version: string): boolean {
    return version.includes(".");
}

// ---- RDS storage (gp3) -----------------------------------------------------------------------

/** gp3 on RDS for PostgreSQL: below 400 GiB the baseline (3,000 IOPS, 125 MiB/s) is fixed and may not be set. */
export const GP3_PROVISIONING_MIN_GB = 400;
export const GP3_IOPS = { min: 12000, max: 64000 } as const;
export const GP3_THROUGHPUT_MIBPS = { min: 500, max: 4000 } as const;
export const RDS_STORAGE_GB = { min: 20, max: 65536 } as const;

/** The smallest storage-autoscaling ceiling RDS accepts: 10 % above the allocated storage. */
export function minMaxAllocatedStorageGb(allocatedStorageGb: number): number {
    // Integer arithmetic: 100 * 1.1 is 110.00000000000001 in floating point.
    return Math.ceil((allocatedStorageGb * 11) / 10);
}

/** The autoscaling ceiling against the allocated storage. */
export function maxAllocatedStorageProblem(
    maxAllocatedStorageGb: number,
    allocatedStorageGb: number,
): string | undefined {
    const min = minMaxAllocatedStorageGb(allocatedStorageGb);
    return maxAllocatedStorageGb < min
        ? `is too low for allocatedStorageGb ${allocatedStorageGb}; RDS needs the autoscaling ceiling at least 10 % above it (${min} or more)`
        : undefined;
}

/** Provisioned gp3 IOPS or throughput (set at all) against the allocated storage. */
export function gp3ProvisioningProblem(allocatedStorageGb: number): string | undefined {
    return allocatedStorageGb < GP3_PROVISIONING_MIN_GB
        ? `cannot be set with allocatedStorageGb ${allocatedStorageGb}; gp3 below ${GP3_PROVISIONING_MIN_GB} GiB has a fixed baseline of 3000 IOPS and 125 MiB/s (remove it, or allocate ${GP3_PROVISIONING_MIN_GB} GiB or more)`
        : undefined;
}

// ---- Cache engines ---------------------------------------------------------------------------

export const CACHE_ENGINES = ["redis", "valkey"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

/**
 * Engine versions Groundwork supports: those with `transitEncryptionMode: "required"` (Redis OSS
 * 7.0.5+, every Valkey), newest last.
 */
export const CACHE_ENGINE_VERSIONS: Record<CacheEngine, readonly string[]> = {
    redis: ["7.0", "7.1"],
    valkey: ["7.2", "8.0", "8.1"],
};

/** The version used when none is given: the newest Redis OSS, Valkey's current line. */
export const CACHE_DEFAULT_VERSIONS: Record<CacheEngine, string> = { redis: "7.1", valkey: "8.0" };

/** A cache engine version against its engine. */
export function cacheVersionProblem(engine: CacheEngine, version: string): string | undefined {
    return CACHE_ENGINE_VERSIONS[engine].includes(version)
        ? undefined
        : `is not a supported ${engine} version; allowed: ${CACHE_ENGINE_VERSIONS[engine].join(", ")}`;
}

// ---- Logs ------------------------------------------------------------------------------------

/** The retention periods CloudWatch Logs accepts (days): the stack config and every log group use this list. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** What is wrong with a log retention period, or undefined. */
export function logRetentionProblem(days: number): string | undefined {
    return (LOG_RETENTION_DAYS as readonly number[]).includes(days)
        ? undefined
        : `is not a CloudWatch Logs retention period; allowed: ${LOG_RETENTION_DAYS.join(", ")}`;
}

// ---- GitHub Actions --------------------------------------------------------------------------

/**
 * A GitHub repository as the OIDC subject claim names it: `owner/name`, or the immutable form
 * `owner@<ownerId>/name@<repositoryId>` that GitHub uses for repositories created or renamed after
 * 18 June 2026 and for those that opt in (GitHub Docs, OpenID Connect reference, "Immutable subject
 * claims"). Owner: up to 39 letters, digits or hyphens, not starting with a hyphen; name: up to 100
 * letters, digits, `.`, `_` or `-`. Never a wildcard: IAM's StringLike would read `*` and `?` as one.
 */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}(@\d+)?\/[A-Za-z0-9._-]{1,100}(@\d+)?$/;

/** What is wrong with a repository, or undefined. */
export function githubRepositoryProblem(repository: string): string | undefined {
    const match = GITHUB_REPOSITORY.exec(repository);
    if (!match) {
        return "is not a GitHub repository: expected owner/name (or owner@<ownerId>/name@<repositoryId>), without wildcards";
    }
    if ((match[1] === undefined) !== (match[2] === undefined)) {
        return "gives an immutable ID for only one of owner and name; GitHub's immutable subject carries both (owner@<ownerId>/name@<repositoryId>)";
    }
    const name = repository.split("/")[1].replace(/@\d+$/, "");
    return name === "." || name === ".." ? "is not a GitHub repository name" : undefined;
}

/**
 * A git branch name (git check-ref-format): printable ASCII without space, `~ ^ : ? * [ \`, no `..`
 * or `//`, not starting or ending with `/`, not ending with `.lock`. `*` and `?` are refused
 * anyway, as IAM wildcards.
 */
export const GIT_BRANCH = /^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$|.*[~^:?*[\\\s])[\x21-\x7e]{1,255}$/;

/** A GitHub environment name (up to 255 characters; no `:`, which would end the OIDC subject's field). */
export const GITHUB_ENVIRONMENT = /^[A-Za-z0-9 _.-]{1,255}$/;

/** The ARN of an account's GitHub Actions OIDC provider (IAM names it after the issuer's host). */
export const GITHUB_OIDC_PROVIDER_ARN =
    /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** A DNS label of a host name: letters, digits and inner hyphens, 1-63 characters (RFC 1035, 1123). */
export const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Why `name` (lower-case, no trailing dot) cannot name a host or domain in a public zone, as a
 * phrase following the value; undefined when it can. Host names only: no wildcards or
 * underscores, which neither certificates, alias records nor SES identities here need. One rule
 * for Dns, Mail and the stack config.
 */
export function dnsNameProblem(name: string): string | undefined {
    if (name.length > 253) {
        return `is ${name.length} characters long; a DNS name holds at most 253`;
    }
    const labels = name.split(".");
    if (labels.length < 2) {
        return "is not a domain: expected at least two labels, such as example.com";
    }
    const bad = labels.find((label) => !DNS_LABEL.test(label));
    if (bad !== undefined) {
        return `has the label ${JSON.stringify(bad)}: each label is 1-63 letters, digits or inner hyphens`;
    }
    if (/^[0-9]+$/.test(labels[labels.length - 1])) {
        return "ends in a numeric label: that is an IP address, not a DNS name";
    }
    return undefined;
}
