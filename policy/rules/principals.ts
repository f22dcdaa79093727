import { conditionKeys, isPolicyError, parsePolicyDocument, PolicyStatement } from "./lib/policy-documents";
import { attachedTo, nameIs, Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { peek, Tri, UNKNOWN, Unknown } from "./lib/unknowns";
import { allOf, anyOf, asList, asStr } from "./lib/values";
/**
 * Who a policy statement grants: principals, accounts, and the confused-deputy guard.
 *
 * ## Which account is "this account"?
 *
 * A pack cannot call AWS, so it learns the deploying account from facts it can see, never from the
 * policy under review:
 *
 * 1. the pack config (`accountIds`, per stack in policy/dev.json / prod.json);
 * 2. the AWS provider's `allowedAccountIds` (the provider refuses to deploy anywhere else);
 * 3. ARNs that AWS assigned to resources of this stack: an input whose whole value is an ARN (or an
 *    SQS queue URL) and that has an Output-to-input edge to a resource of this stack, e.g. an SNS
 *    topic's `kmsMasterKeyId: key.arn`. Documents (`policy`, `assumeRolePolicy`) are never used: a
 *    document built with `pulumi.interpolate` carries an edge and can still name any account.
 *
 * In a first preview (3) is unknown; then a literal account principal that (1) and (2) don't name is
 * deferred (advisory) rather than failed, and a principal built from an Output is deferred always.
 * Accounts of others that may be granted (a partner, the log archive) go in `trustedAccountIds`.
 */

export type PrincipalKind = "everyone" | "account" | "service" | "federated" | "canonical" | "unknown" | "other";

export interface PrincipalRef {
    kind: PrincipalKind;
    /** The account id for "account", the service name for "service", the raw text otherwise. */
    value: string;
}

const ARN_ACCOUNT = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;

/** Classifies one element of `Principal.AWS` ("*", "123456789012", an IAM/STS ARN, or an unknown). */
export function awsPrincipal(v: unknown): PrincipalRef {
    if (v === UNKNOWN) {
        return { kind: "unknown", value: "(unknown)" };
    }
    const s = asStr(v);
    if (typeof s !== "string") {
        return { kind: "other", value: String(s) };
    }
    const t = s.trim();
    if (t === "*") {
        return { kind: "everyone", value: "*" };
    }
    if (/^\d{12}$/.test(t)) {
        return { kind: "account", value: t };
    }
    const m = ARN_ACCOUNT.exec(t);
    if (m) {
        return { kind: "account", value: m[1] };
    }
    return { kind: "other", value: t };
}

/** Every principal a statement's `Principal` names. */
export function principalsOf(principal: unknown): PrincipalRef[] {
    if (principal === UNKNOWN) {
        return [{ kind: "unknown", value: "(unknown)" }];
    }
    if (principal === undefined || principal === null) {
        return [];
    }
    if (typeof principal === "string") {
        return [principal.trim() === "*" ? { kind: "everyone", value: "*" } : awsPrincipal(principal)];
    }
    if (typeof principal !== "object" || Array.isArray(principal)) {
        return [{ kind: "other", value: JSON.stringify(principal) }];
    }
    const out: PrincipalRef[] = [];
    for (const key of Object.keys(principal)) {
        const list = asList(peek(principal, key));
        if (list === UNKNOWN) {
            out.push({ kind: "unknown", value: `(unknown ${key})` });
            continue;
        }
        for (const v of list) {
            if (key === "AWS") {
                out.push(awsPrincipal(v));
            } else if (v === UNKNOWN) {
                out.push({ kind: "unknown", value: `(unknown ${key})` });
            } else if (key === "Service") {
                out.push({ kind: "service", value: String(v).toLowerCase() });
            } else if (key === "Federated") {
                out.push(v === "*" ? { kind: "everyone", value: "*" } : { kind: "federated", value: String(v) });
            } else if (key === "CanonicalUser") {
                out.push({ kind: "canonical", value: String(v) });
            } else {
                out.push({ kind: "other", value: String(v) });
            }
        }
    }
    return out;
}

/** The confused-deputy guard keys AWS documents for service principals (IAM User Guide, "The confused deputy problem"). */
export const SOURCE_CONDITION_KEYS = ["aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"];

/**
 * Whether a statement's condition scopes a service principal to our resources: a source key, or (key
 * policies) a `kms:EncryptionContext:*` / `kms:ViaService` condition, which AWS documents for services
 * that call KMS on a caller's behalf (CloudWatch Logs binds the log group ARN in the encryption context).
 */
export function hasSourceCondition(condition: unknown): boolean | Unknown {
    const keys = conditionKeys(condition);
    if (keys === UNKNOWN) {
        return UNKNOWN;
    }
    return keys.some(
        (k) => SOURCE_CONDITION_KEYS.includes(k) || k.startsWith("kms:encryptioncontext:") || k === "kms:viaservice",
    );
}

export interface AccountConfig {
    accountIds?: string[];
    trustedAccountIds?: string[];
}

const WHOLE_ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):\S+$/;
const QUEUE_URL = /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/(\d{12})\/\S+$/;
const DOCUMENT_KEYS = new Set([
    "policy",
    "assumeRolePolicy",
    "inlinePolicies",
    "containerDefinitions",
    "redrivePolicy",
    "redriveAllowPolicy",
]);

/** The accounts this stack deploys into, as far as the facts show (see the file header). */
export function ownAccounts(stack: StackView, cfg: AccountConfig): Set<string> {
    const own = new Set<string>((cfg.accountIds ?? []).map(String));
    for (const r of stack.resources) {
        if (r.type.startsWith("pulumi:providers:aws")) {
            const allowed = asList(r.props.allowedAccountIds);
            if (allowed !== UNKNOWN) {
                allowed.forEach((a) => typeof a === "string" && own.add(a));
            }
            continue;
        }
        for (const key of Object.keys(r.props)) {
            if (DOCUMENT_KEYS.has(key) || !r.deps(key).some((d) => d.type.startsWith("aws:"))) {
                continue;
            }
            const values = asList(r.props[key]);
            for (const v of values === UNKNOWN ? [] : values) {
                const m = typeof v === "string" ? (WHOLE_ARN.exec(v) ?? QUEUE_URL.exec(v)) : null;
                if (m) {
                    own.add(m[1]);
                }
            }
        }
    }
    return own;
}

export type AccountVerdict = "own" | "trusted" | "foreign" | "unverifiable";

/** Whether an account may be granted: ours, allow-listed, foreign, or unverifiable (we don't know ours). */
export function judgeAccount(account: string, own: ReadonlySet<string>, trusted: readonly string[]): AccountVerdict {
    if (own.has(account)) {
        return "own";
    }
    if (trusted.includes(account)) {
        return "trusted";
    }
    return own.size > 0 ? "foreign" : "unverifiable";
}

/**
 * The regional Elastic Load Balancing accounts that write access logs in Regions opened before
 * August 2022 (ELB User Guide, "Enable access logs for your Application Load Balancer"); newer Regions
 * use the service principal logdelivery.elasticloadbalancing.amazonaws.com instead.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "ca-central-1": "985666609251",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-south-1": "718504428378",
    "sa-east-1": "507241528517",
};

export const ELB_LOG_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** The service principal that delivers S3 server access logs. */
export const S3_ACCESS_LOG_SERVICE = "logging.s3.amazonaws.com";

/**
 * Whether a statement is exactly what S3 server access log delivery needs: `s3:PutObject` alone, on
 * object keys (S3 User Guide, "Enabling Amazon S3 server access logging", bucket policy). UNKNOWN when
 * its actions or resources are not known at preview.
 */
export function isS3AccessLogWrite(s: PolicyStatement): Tri {
    return isPutObjectOnly(s, (arn) => /^arn:[^:]+:s3:::[^/]+\/.+/.test(arn));
}

/**
 * Whether a statement allows `s3:PutObject` alone, on resources that all pass `keyMatches` (and no
 * `NotResource`): the shape of every log-delivery grant. UNKNOWN when its actions or resources are
 * not known at preview.
 */
function isPutObjectOnly(s: PolicyStatement, keyMatches: (arn: string) => boolean): Tri {
    if (s.actions === UNKNOWN || s.resources === UNKNOWN) {
        return UNKNOWN;
    }
    const writeOnly =
        s.actions.length > 0 && s.actions.every((a) => typeof a === "string" && a.toLowerCase() === "s3:putobject");
    const keys =
        !s.hasNotResource && s.resources.length > 0 && s.resources.every((r) => typeof r === "string" && keyMatches(r));
    return writeOnly && keys;
}

/** CloudFront's service principal, which reads S3 origins through origin access control. */
export const CLOUDFRONT_SERVICE = "cloudfront.amazonaws.com";

/**
 * Whether a statement is exactly what ELB access-log delivery needs: `s3:PutObject` alone, on object
 * keys under `/AWSLogs/` (ELB User Guide, "Enable access logs for your Application Load Balancer").
 * UNKNOWN when its actions or resources are not known at preview.
 */
export function isElbLogWrite(s: PolicyStatement): Tri {
    return isPutObjectOnly(s, (arn) => arn.includes("/AWSLogs/"));
}

/**
 * Judges a bucket by the Allow statements of each of its policy documents (its `aws.s3.BucketPolicy`
 * resources and its own inline `policy`): true when any document's verdict is. A document not known
 * at preview is UNKNOWN; one that does not parse is false.
 */
function judgeBucketPolicies(stack: StackView, bucket: Res, judge: (allows: PolicyStatement[]) => Tri): Tri {
    const docs: unknown[] = attachedTo(stack, [T.bucketPolicy], "bucket", bucket, nameIs("bucket")).map(
        (p) => p.props.policy,
    );
    if (bucket.props.policy !== undefined) {
        docs.push(bucket.props.policy);
    }
    return anyOf(
        docs.map((raw) => {
            const doc = parsePolicyDocument(raw);
            if (doc === UNKNOWN) {
                return UNKNOWN;
            }
            if (isPolicyError(doc)) {
                return false;
            }
            return judge(doc.statements.filter((s) => s.effect === "Allow"));
        }),
    );
}

/**
 * Whether a bucket is a log-delivery bucket that must use SSE-S3: a bucket policy grants a log delivery
 * principal only s3:PutObject on object keys, and nothing else to it. Two deliveries qualify:
 * - ELB access logs: the ELB log delivery principal (logdelivery.elasticloadbalancing.amazonaws.com, or a
 *   Region's ELB account), only under an `AWSLogs/` prefix (ELB User Guide, "Enable access logs for your
 *   Application Load Balancer": SSE-S3 is the only server-side encryption those logs support);
 * - S3 server access logs: logging.s3.amazonaws.com (S3 User Guide, "Enabling Amazon S3 server access
 *   logging": a target bucket may use default encryption only with SSE-S3, not SSE-KMS).
 */
export function isLogDeliveryBucket(stack: StackView, bucket: Res): Tri {
    const elbAccounts = Object.values(ELB_LOG_ACCOUNTS);
    return judgeBucketPolicies(stack, bucket, (allows) => {
        const grants = allows.flatMap((s): Tri[] => {
            const principals = principalsOf(s.principal);
            if (
                principals.some(
                    (p) =>
                        (p.kind === "service" && p.value === ELB_LOG_SERVICE) ||
                        (p.kind === "account" && elbAccounts.includes(p.value)),
                )
            ) {
                return [isElbLogWrite(s)];
            }
            if (principals.some((p) => p.kind === "service" && p.value === S3_ACCESS_LOG_SERVICE)) {
                return [isS3AccessLogWrite(s)];
            }
            return [];
        });
        return grants.length > 0 && allOf(grants);
    });
}

/**
 * Whether a bucket is the target of S3 server access logging: its policy lets
 * `logging.s3.amazonaws.com` put objects. Such a bucket is the one bucket that need not log its own
 * access (AWS advises against it: its logs would loop). Other log destinations (CloudTrail's,
 * ELB's, vended-log buckets) are buckets like any other and log their access (Security Hub S3.9,
 * CloudTrail.7). UNKNOWN when a policy document is not known yet.
 */
export function isS3AccessLogTarget(stack: StackView, bucket: Res): Tri {
    return judgeBucketPolicies(stack, bucket, (allows) =>
        anyOf(
            allows
                .filter((s) =>
                    principalsOf(s.principal).some((p) => p.kind === "service" && p.value === S3_ACCESS_LOG_SERVICE),
                )
                .map((s): Tri => {
                    if (s.actions === UNKNOWN) {
                        return UNKNOWN;
                    }
                    return s.actions.some((a) => typeof a === "string" && /^s3:(putobject|\*)$/i.test(a));
                }),
        ),
    );
}
