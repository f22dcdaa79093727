import * as pulumi from "@pulumi/pulumi";
import * as acm from "@pulumi/aws/acm";
import * as route53 from "@pulumi/aws/route53";
import { statefulOptions } from "./common";
import { dnsNameProblem } from "./internal/rules";
import { ArgChecker } from "./internal/args";

/**
 * CloudFront takes viewer certificates from ACM in us-east-1 only (CloudFront Developer Guide,
 * "Requirements for using SSL/TLS certificates with CloudFront").
 */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

/**
 * Key algorithms of an ACM public certificate that both an ALB and CloudFront accept. ACM also
 * issues `EC_secp384r1`, which CloudFront does not take for a viewer certificate.
 */
export const CERTIFICATE_KEY_ALGORITHMS = ["RSA_2048", "EC_prime256v1"] as const;
export type CertificateKeyAlgorithm = (typeof CERTIFICATE_KEY_ALGORITHMS)[number];

/**
 * RFC 5280 caps a certificate's Common Name at 64 characters, so ACM refuses a longer `DomainName`
 * (RequestCertificate); subject alternative names may reach 253.
 */
export const MAX_COMMON_NAME_LENGTH = 64;

/**
 * A DNS name as Groundwork stores it: lower-case (DNS names are case-insensitive, and the logical
 * names of records derive from it) and without the root's trailing dot.
 */
export function normalizeDnsName(value: string): string {
    return value.trim().toLowerCase().replace(/\.$/, "");
}

// One DNS-name rule for Dns, Mail and the config, re-exported for users of this component.
export { dnsNameProblem };

/** Whether `name` is `zone` itself or a name below it. */
export function isInZone(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}

/** The names one ACM certificate covers: its Common Name and the subject alternative names. */
export interface CertificateNames {
    domainName: string;
    subjectAlternativeNames: string[];
}

/** `names` without repeats, the first occurrence kept, as a certificate's domain and SANs. */
export function certificateNames(names: readonly string[]): CertificateNames {
    const [domainName, ...subjectAlternativeNames] = [...new Set(names)];
    return { domainName, subjectAlternativeNames };
}

/**
 * The validation records to declare for a set of certificates: one per distinct domain name,
 * with the certificate (key) whose validation options supply its name and value. ACM asks for
 * the same CNAME for the same name in every certificate of an account, in every region
 * (hashicorp/terraform-provider-aws#13653, terraform-aws-modules/terraform-aws-acm#14), so a
 * name in both certificates gets one record that validates both; two records would be the same
 * Route 53 record set managed twice, and deleting either would delete it.
 */
export function validationRecordPlan<K extends string>(
    certificates: Record<K, CertificateNames>,
): { domain: string; certificate: K }[] {
    const plan = new Map<string, K>();
    for (const key of Object.keys(certificates) as K[]) {
        const { domainName, subjectAlternativeNames } = certificates[key];
        for (const domain of [domainName, ...subjectAlternativeNames]) {
            if (!plan.has(domain)) {
                plan.set(domain, key);
            }
        }
    }
    return [...plan].map(([domain, certificate]) => ({ domain, certificate }));
}

export interface DnsArgs {
    /**
     * The public Route 53 hosted zone the stack's names live in, such as `example.com`. Looked up
     * in this account unless `createZone` is set.
     */
    zoneName: string;
    /**
     * Create the hosted zone instead of looking it up, for an account that has none yet. The
     * zone's name servers (output `nameServers`) must then be set as the domain's NS records at the
     * registrar (or in the parent zone); until they are, nothing resolves and certificate
     * validation waits, then fails. Changing this later replaces the zone and its name servers.
     * @default false (look the zone up)
     */
    createZone?: boolean;
    /**
     * The site's name: viewers reach the application here, through CloudFront.
     * @default `app.<zoneName>`
     */
    siteName?: string;
    /**
     * The API's name, through CloudFront as well. May equal `siteName` when one host serves both.
     * @default `api.<zoneName>`
     */
    apiName?: string;
    /**
     * The name CloudFront uses to reach the load balancer (its origin domain), pointed at the ALB
     * with an alias record, so the ALB's certificate is valid for the name CloudFront checks. Must
     * differ from `siteName` and `apiName`, which point at CloudFront.
     * @default `origin.<zoneName>`
     */
    originName?: string;
    /**
     * More names inside the zone for the us-east-1 certificate, for other CloudFront-fronted
     * endpoints of the stack (a Cognito custom login domain, `auth.<zone>`). Adding one re-issues
     * the certificate (the new one is validated before the old one is released).
     * @default []
     */
    extraCdnNames?: string[];
    /**
     * The certificates' key algorithm. ECDSA P-256 keys make handshakes cheaper, but a few old
     * clients only speak RSA. Changing it replaces both certificates (a new one is issued and
     * validated before the old one is released).
     * @default "RSA_2048"
     */
    keyAlgorithm?: string;
    /**
     * Protect a created hosted zone (`protect` and `retainOnDelete`): deleting it loses every
     * record in it, and a re-created zone gets new name servers to delegate again. No effect on a
     * looked-up zone, which this stack does not own.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of a {@link Dns}. An interface, so that the component package's schema can carry it. */
export interface DnsNodes {
    /** The hosted zone, when created here. */
    zone?: route53.Zone;
    /** The regional certificate (the ALB's). */
    certificate: acm.Certificate;
    /** The us-east-1 certificate (CloudFront's). */
    cdnCertificate: acm.Certificate;
    /** One CNAME per distinct name of the two certificates. */
    validationRecords: route53.Record[];
    certificateValidation: acm.CertificateValidation;
    cdnCertificateValidation: acm.CertificateValidation;
}

/**
 * The stack's DNS names and their TLS certificates: the public hosted zone (looked up, or
 * created), an ACM certificate in the stack's region for the load balancer, and one in us-east-1
 * for CloudFront, both validated through CNAME records in the zone. The outputs carry the ARNs
 * from the validations, so a listener or distribution that uses them waits until the certificate
 * is issued. Alias records to CloudFront and the ALB are {@link AliasRecords}' job, once those
 * exist.
 *
 * The load balancer's certificate covers `originName`, the name CloudFront connects to, and the
 * site and API names too: with the CDN off, viewers reach the ALB at those names directly, and a
 * distribution that forwards the viewer's Host header has CloudFront check the origin's
 * certificate against that name instead of the origin's (CloudFront Developer Guide, "Require
 * HTTPS for communication between CloudFront and your custom origin"). The shared validation
 * records make the extra names free. The CloudFront certificate covers the site and API names.
 * Renewal is ACM's: it re-validates through the same records, so they stay as long as the
 * certificates do. If the zone has CAA records, one must allow `amazon.com`, or ACM cannot issue.
 *
 * ```ts
 * const dns = new Dns("dns", { zoneName: "example.com" });
 * // ALB listener: certificateArn: dns.certificateArn; CloudFront: dns.cdnCertificateArn,
 * // aliases [dns.siteName, dns.apiName], origin domain dns.originName.
 * new AliasRecords("site", {
 *     zoneId: dns.zoneId,
 *     names: [dns.siteName, dns.apiName],
 *     targetDomainName: distribution.domainName,
 *     targetHostedZoneId: distribution.hostedZoneId,
 * });
 * ```
 *
 * **Cost**: ACM public certificates are free; a created hosted zone is $0.50/month plus
 * $0.40 per million queries (alias queries to CloudFront and ALBs are free); a looked-up zone
 * costs this stack nothing.
 */
export class Dns extends pulumi.ComponentResource {
    /** The hosted zone's ID. */
    readonly zoneId: pulumi.Output<string>;
    readonly zoneName: string;
    readonly siteName: string;
    readonly apiName: string;
    readonly originName: string;
    /** The regional (ALB) certificate's ARN, known once ACM has issued it. */
    readonly certificateArn: pulumi.Output<string>;
    /** The us-east-1 (CloudFront) certificate's ARN, known once ACM has issued it. */
    readonly cdnCertificateArn: pulumi.Output<string>;
    /** The created zone's name servers, to delegate to at the registrar; undefined for a looked-up zone. */
    readonly nameServers: pulumi.Output<string[]> | undefined;
    /** The raw children, for advanced use. */
    readonly nodes: DnsNodes;

    private readonly name: string;

    constructor(name: string, args: DnsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Dns", name, {}, opts);
        this.name = name;
        const cfg = normalizeDnsArgs(name, args);

        const zone = cfg.createZone ? this.createZone(cfg) : undefined;
        this.zoneId = zone ? zone.zoneId : this.lookUpZone(cfg.zoneName);
        const certificates = this.createCertificates(cfg);
        const validationRecords = this.createValidationRecords(cfg, certificates);
        const validations = this.createValidations(cfg, certificates, validationRecords);

        this.zoneName = cfg.zoneName;
        this.siteName = cfg.siteName;
        this.apiName = cfg.apiName;
        this.originName = cfg.originName;
        this.certificateArn = validations.origin.certificateArn;
        this.cdnCertificateArn = validations.cdn.certificateArn;
        this.nameServers = zone?.nameServers;
        this.nodes = {
            zone,
            certificate: certificates.origin,
            cdnCertificate: certificates.cdn,
            validationRecords: validationRecords.map((r) => r.record),
            certificateValidation: validations.origin,
            cdnCertificateValidation: validations.cdn,
        };
        this.registerOutputs({
            zoneId: this.zoneId,
            certificateArn: this.certificateArn,
            cdnCertificateArn: this.cdnCertificateArn,
            nameServers: this.nameServers,
        });
    }

    private createZone(cfg: NormalizedDnsArgs): route53.Zone {
        return new route53.Zone(
            `${this.name}-zone`,
            {
                name: cfg.zoneName,
                comment: `${cfg.zoneName}: public zone of ${pulumi.getProject()}/${pulumi.getStack()}`,
                // Never delete records this stack does not manage along with the zone.
                forceDestroy: false,
            },
            statefulOptions(this, cfg.protect),
        );
    }

    /** The public zone of this name; a private zone of the same name is not a match. */
    private lookUpZone(zoneName: string): pulumi.Output<string> {
        return route53.getZoneOutput({ name: zoneName, privateZone: false }, { parent: this }).zoneId;
    }

    /**
     * `@pulumi/aws` 7 takes a `region` on each resource (acm/certificate.d.ts: "Region where this
     * resource will be managed"), so the us-east-1 certificate needs no second provider; its
     * validation names the same region, since it polls the certificate there.
     */
    private createCertificates(cfg: NormalizedDnsArgs): Record<CertificateKey, acm.Certificate> {
        const certificate = (suffix: string, names: CertificateNames, region?: string) =>
            new acm.Certificate(
                `${this.name}-${suffix}`,
                {
                    ...names,
                    region,
                    validationMethod: "DNS",
                    keyAlgorithm: cfg.keyAlgorithm,
                    // Public logging is ACM's default and what browsers require (Chrome refuses
                    // certificates without SCTs); stated so no one turns it off by accident.
                    options: { certificateTransparencyLoggingPreference: "ENABLED" },
                },
                // A replacement (new names, new key algorithm) is created before the old
                // certificate is deleted, Pulumi's default, so listeners switch without a gap.
                { parent: this },
            );
        return {
            origin: certificate("certificate", cfg.certificates.origin),
            cdn: certificate("cdn-certificate", cfg.certificates.cdn, CLOUDFRONT_CERTIFICATE_REGION),
        };
    }

    /**
     * One record per name, declared from the plain names; only its record name and value come from
     * the certificate's validation options (an Output), so the records exist at preview.
     * `allowOverwrite`: the record may already exist, left by an earlier certificate for the same
     * name (another stack, a replaced certificate), and ACM asks for the same value again.
     */
    private createValidationRecords(
        cfg: NormalizedDnsArgs,
        certificates: Record<CertificateKey, acm.Certificate>,
    ): ValidationRecord[] {
        return validationRecordPlan(cfg.certificates).map(({ domain, certificate }) => {
            const option = certificates[certificate].domainValidationOptions.apply((options) => {
                const found = options.find((o) => o.domainName === domain);
                if (!found) {
                    throw new Error(`ACM returned no DNS validation record for ${domain}`);
                }
                return found;
            });
            const record = new route53.Record(
                `${this.name}-validation-${domain}`,
                {
                    zoneId: this.zoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 300,
                    allowOverwrite: true,
                },
                { parent: this },
            );
            return { domain, record };
        });
    }

    private createValidations(
        cfg: NormalizedDnsArgs,
        certificates: Record<CertificateKey, acm.Certificate>,
        records: ValidationRecord[],
    ): Record<CertificateKey, acm.CertificateValidation> {
        const validation = (key: CertificateKey, suffix: string, region?: string) => {
            const { domainName, subjectAlternativeNames } = cfg.certificates[key];
            const names = [domainName, ...subjectAlternativeNames];
            return new acm.CertificateValidation(
                `${this.name}-${suffix}-validation`,
                {
                    certificateArn: certificates[key].arn,
                    region,
                    // Naming the records makes the provider check they are the ones ACM asked for.
                    validationRecordFqdns: records.filter((r) => names.includes(r.domain)).map((r) => r.record.fqdn),
                },
                { parent: this },
            );
        };
        return {
            origin: validation("origin", "certificate"),
            cdn: validation("cdn", "cdn-certificate", CLOUDFRONT_CERTIFICATE_REGION),
        };
    }
}

type CertificateKey = "origin" | "cdn";

interface ValidationRecord {
    domain: string;
    record: route53.Record;
}

interface NormalizedDnsArgs {
    zoneName: string;
    createZone: boolean;
    siteName: string;
    apiName: string;
    originName: string;
    keyAlgorithm: CertificateKeyAlgorithm;
    protect: boolean;
    /** The regional (ALB) certificate's names and the us-east-1 (CloudFront) certificate's. */
    certificates: Record<CertificateKey, CertificateNames>;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeDnsArgs(name: string, args: DnsArgs): NormalizedDnsArgs {
    const check = new ArgChecker("Dns", name, args);
    if (typeof args.zoneName !== "string") {
        check.fail("zoneName", "is required: the public hosted zone's name, such as example.com");
    }
    const zoneName = normalizeDnsName(args.zoneName);
    check.rule("zoneName", args.zoneName, dnsNameProblem(zoneName));
    const host = (arg: "siteName" | "apiName" | "originName", fallback: string): string => {
        const given = args[arg];
        const value = normalizeDnsName(given ?? `${fallback}.${zoneName}`);
        check.rule(arg, given ?? value, dnsNameProblem(value));
        if (!isInZone(value, zoneName)) {
            check.fail(arg, `is ${JSON.stringify(given)}, which is not in the zone ${zoneName}`);
        }
        return value;
    };
    const siteName = host("siteName", "app");
    const apiName = host("apiName", "api");
    const originName = host("originName", "origin");
    const extraCdnNames = (args.extraCdnNames ?? []).map((given, i) => {
        const value = normalizeDnsName(given);
        check.rule(`extraCdnNames[${i}]` as keyof DnsArgs, given, dnsNameProblem(value));
        if (!isInZone(value, zoneName)) {
            check.fail(
                `extraCdnNames[${i}]` as keyof DnsArgs,
                `is ${JSON.stringify(given)}, which is not in the zone ${zoneName}`,
            );
        }
        return value;
    });
    for (const [arg, value] of [
        ["siteName", siteName],
        ["apiName", apiName],
    ] as const) {
        if (value === originName) {
            check.fail(
                "originName",
                `is ${JSON.stringify(originName)}, the same as ${arg}: the origin name points at the load balancer, ${arg} at CloudFront`,
            );
        }
    }
    // The first name of each certificate is its Common Name.
    for (const [arg, value] of [
        ["originName", originName],
        ["siteName", siteName],
    ] as const) {
        if (value.length > MAX_COMMON_NAME_LENGTH) {
            check.fail(
                arg,
                `is ${value.length} characters long; it is a certificate's Common Name, which holds at most ${MAX_COMMON_NAME_LENGTH} (RFC 5280)`,
            );
        }
    }
    return {
        zoneName,
        createZone: args.createZone ?? false,
        siteName,
        apiName,
        originName,
        keyAlgorithm: check.oneOf("keyAlgorithm", args.keyAlgorithm ?? "RSA_2048", CERTIFICATE_KEY_ALGORITHMS),
        protect: args.protect ?? false,
        certificates: {
            origin: certificateNames([originName, siteName, apiName]),
            cdn: certificateNames([siteName, apiName, ...extraCdnNames]),
        },
    };
}

export interface AliasRecordsArgs {
    /** The hosted zone the records go in (`Dns.zoneId`). */
    zoneId: pulumi.Input<string>;
    /**
     * The names to point at the target, fully qualified (`app.example.com`), in the zone. Plain
     * strings: each name is a record of its own, and its logical name derives from it.
     */
    names: string[];
    /** The target's DNS name: a CloudFront distribution's `domainName`, an ALB's `dnsName`. */
    targetDomainName: pulumi.Input<string>;
    /**
     * The target's hosted zone ID (not the records' zone): a distribution's `hostedZoneId`, an
     * ALB's `zoneId`.
     */
    targetHostedZoneId: pulumi.Input<string>;
    /**
     * Add an AAAA alias next to each A alias, so IPv6 clients connect over IPv6. Needs a target that
     * answers IPv6: a distribution with `isIpv6Enabled`, a `dualstack` ALB.
     * @default true
     */
    ipv6?: boolean;
    /**
     * Let Route 53 check the target's health before answering. CloudFront targets must leave it
     * off (Route 53 refuses it for them); for an ALB it only matters with failover routing.
     * @default false
     */
    evaluateTargetHealth?: boolean;
}

/** The raw children of an {@link AliasRecords}. An interface, so that the component package's schema can carry it. */
export interface AliasRecordsNodes {
    /** The A alias of each name, in the order of `names`. */
    aRecords: route53.Record[];
    /** The AAAA alias of each name (empty with `ipv6: false`). */
    aaaaRecords: route53.Record[];
}

/**
 * Route 53 alias records (A, and AAAA by default) pointing names of a zone at an AWS target: the
 * site and API names at the CloudFront distribution, the origin name at the load balancer. An
 * alias answers with the target's current addresses and, unlike a CNAME, works at the zone apex.
 * A record of the same name and type that already exists is not taken over: the update fails and
 * names it, so a record someone else manages is never overwritten silently.
 *
 * ```ts
 * new AliasRecords("origin", {
 *     zoneId: dns.zoneId,
 *     names: [dns.originName],
 *     targetDomainName: alb.dnsName,
 *     targetHostedZoneId: alb.zoneId,
 *     ipv6: false,
 * });
 * ```
 *
 * **Cost**: none; Route 53 does not charge for alias queries to CloudFront or an ALB.
 */
export class AliasRecords extends pulumi.ComponentResource {
    /** The records' names as Route 53 holds them, in the order of `names`. */
    readonly fqdns: pulumi.Output<string[]>;
    /** The raw children, for advanced use. */
    readonly nodes: AliasRecordsNodes;

    constructor(name: string, args: AliasRecordsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:AliasRecords", name, {}, opts);
        const cfg = normalizeAliasRecordsArgs(name, args);

        const alias = (recordName: string, type: "A" | "AAAA") =>
            new route53.Record(
                `${name}-${recordName}-${type.toLowerCase()}`,
                {
                    zoneId: args.zoneId,
                    name: recordName,
                    type,
                    aliases: [
                        {
                            name: args.targetDomainName,
                            zoneId: args.targetHostedZoneId,
                            evaluateTargetHealth: cfg.evaluateTargetHealth,
                        },
                    ],
                },
                { parent: this },
            );
        const aRecords = cfg.names.map((n) => alias(n, "A"));
        const aaaaRecords = cfg.ipv6 ? cfg.names.map((n) => alias(n, "AAAA")) : [];

        this.fqdns = pulumi.all(aRecords.map((r) => r.fqdn));
        this.nodes = { aRecords, aaaaRecords };
        this.registerOutputs({ fqdns: this.fqdns });
    }
}

interface NormalizedAliasRecordsArgs {
    names: string[];
    ipv6: boolean;
    evaluateTargetHealth: boolean;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeAliasRecordsArgs(name: string, args: AliasRecordsArgs): NormalizedAliasRecordsArgs {
    const check = new ArgChecker("AliasRecords", name, args);
    if (!Array.isArray(args.names) || args.names.length === 0) {
        check.fail("names", "is empty: give at least one name to point at the target");
    }
    const names = args.names.map((given) => check.rule("names", given, dnsNameProblem(normalizeDnsName(given))));
    const normalized = names.map(normalizeDnsName);
    const repeated = normalized.find((n, i) => normalized.indexOf(n) !== i);
    if (repeated !== undefined) {
        check.fail("names", `lists ${JSON.stringify(repeated)} twice: a name has one record of each type`);
    }
    return {
        names: normalized,
        ipv6: args.ipv6 ?? true,
        evaluateTargetHealth: args.evaluateTargetHealth ?? false,
    };
}
