import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import type { PolicyStatement } from "@pulumi/aws/iam/documents";
import * as route53 from "@pulumi/aws/route53";
import * as ses from "@pulumi/aws/ses";
import * as sesv2 from "@pulumi/aws/sesv2";
import { statefulOptions } from "./common";
import { AlarmRoutes, DashboardWidget, alarmRoutes, createAlarm, metricWidget } from "./internal/alarms";
import { ArgChecker } from "./internal/args";
import { stackScopedName } from "./internal/naming";
import { DNS_LABEL, dnsNameProblem } from "./internal/rules";

/** What a DMARC record tells receivers to do with mail that fails authentication (RFC 7489 `p=`). */
export const DMARC_POLICIES = ["none", "quarantine", "reject"] as const;
export type DmarcPolicy = (typeof DMARC_POLICIES)[number];

/** The reference templates (seed 002), each read from `mail-templates/<name>.{subject.txt,html,txt}`. */
export const MAIL_TEMPLATES = ["WelcomeEmail", "StreakReminder", "WeeklyDigest"] as const;
export type MailTemplateName = (typeof MAIL_TEMPLATES)[number];

/**
 * Where the template files live: next to this module, so it works from the sources (ts-node, the
 * offline plan). A program compiled to another directory (`tsc` to `bin/`) must copy
 * `components/mail-templates/` next to the compiled `mail.js`.
 */
export const MAIL_TEMPLATES_DIR = path.join(__dirname, "mail-templates");

/** The events the configuration set publishes to CloudWatch (seed 002: sends, bounces, complaints). */
export const MAIL_EVENT_TYPES = ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "REJECT"] as const;

/** The CloudWatch metric each event type is published as (namespace AWS/SES). */
const EVENT_METRICS: Record<(typeof MAIL_EVENT_TYPES)[number], string> = {
    SEND: "Send",
    DELIVERY: "Delivery",
    BOUNCE: "Bounce",
    COMPLAINT: "Complaint",
    REJECT: "Reject",
};

/**
 * The dimension the event metrics carry: SES's auto-tag naming the configuration set of each
 * message. CloudWatch destinations publish auto-tags only when a dimension names them (SES
 * Developer Guide, "Using Amazon SES auto-tags").
 */
export const CONFIGURATION_SET_DIMENSION = "ses:configuration-set";

/**
 * The IAM actions that send mail. `ses:SendEmail` authorizes SES v2 SendEmail (and v1's); SES
 * still authorizes a v2 SendEmail with raw content as `ses:SendRawEmail`, and v1 templated sends
 * as `ses:SendTemplatedEmail` (anymail/django-anymail#384, aws/aws-actionmailer-ses-ruby#10).
 */
export const SEND_ACTIONS = ["ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail"] as const;

/**
 * The account-level rates at which AWS places an SES account under review (SES Developer Guide,
 * "Reputation metrics messages"): 5 % bounces, 0.1 % complaints. Sending is paused at 10 % and
 * 0.5 %; the alarms fire at review, while there is still time to act.
 */
export const REPUTATION_REVIEW_RATES = { bounce: 0.05, complaint: 0.001 } as const;

/** Easy DKIM always hands out three tokens, one CNAME record each (SES Developer Guide, "Easy DKIM"). */
export const DKIM_TOKEN_COUNT = 3;

/**
 * Regions whose Easy DKIM records point at a regional domain, `<token>.dkim.<region>.amazonses.com`,
 * instead of `dkim.amazonses.com` (AWS General Reference, "Amazon SES endpoints and quotas", DKIM
 * domains). The provider does not return SES's `SigningHostedZone`, so the table is kept here; a
 * region SES adds later with a domain of its own needs an entry.
 */
export const REGIONAL_DKIM_DOMAIN_REGIONS: readonly string[] = [
    "af-south-1",
    "ap-northeast-3",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "il-central-1",
    "me-central-1",
    "us-gov-east-1",
];

/** TTL of every record the component writes: short enough to fix a mistake within the hour. */
const RECORD_TTL = 1800;

/** An address's local part as SES accepts it (7-bit ASCII, no SMTPUTF8); `*` and `?` as IAM wildcards. */
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;

// ---- Pure helpers -----------------------------------------------------------------------------

/** Why `name` (lower-case, no trailing dot) is not a domain SES and Route 53 take, or undefined. */
export const domainProblem = dnsNameProblem;

/** The SPF record of the MAIL FROM domain (seed 002): SES's servers may send for it; others soft-fail. */
export function spfRecord(): string {
    return "v=spf1 include:amazonses.com ~all";
}

/**
 * The DMARC record of the domain: `v=DMARC1; p=<policy>`, plus `rua=mailto:<address>` when
 * aggregate reports are wanted. Alignment stays relaxed (the default): the MAIL FROM domain is a
 * subdomain, so strict SPF alignment (`aspf=s`) would fail every message's SPF check.
 */
export function dmarcRecord(policy: DmarcPolicy, reportAddress?: string): string {
    if (!(DMARC_POLICIES as readonly string[]).includes(policy)) {
        throw new Error(`DMARC policy ${JSON.stringify(policy)} is not one of ${DMARC_POLICIES.join(", ")}`);
    }
    return reportAddress === undefined ? `v=DMARC1; p=${policy}` : `v=DMARC1; p=${policy}; rua=mailto:${reportAddress}`;
}

/** The MX record of the MAIL FROM domain: SES's feedback endpoint in the sending region. */
export function mailFromMxRecord(region: string): string {
    return `10 feedback-smtp.${region}.amazonses.com`;
}

/** The domain Easy DKIM records point at in `region`. */
export function dkimDomain(region: string): string {
    return REGIONAL_DKIM_DOMAIN_REGIONS.includes(region) ? `dkim.${region}.amazonses.com` : "dkim.amazonses.com";
}

/** One Easy DKIM CNAME: `<token>._domainkey.<domain>` → `<token>.<dkim domain of the region>`. */
export function dkimRecord(domain: string, token: string, region: string): { name: string; value: string } {
    return { name: `${token}._domainkey.${domain}`, value: `${token}.${dkimDomain(region)}` };
}

/**
 * The SES name of a template: unique per stack and component (templates are per account and
 * region, so a dev and a prod stack sharing an account would otherwise overwrite each other's),
 * at most 64 characters, ending in the reference name the application knows.
 */
export function templateName(component: string, template: MailTemplateName): string {
    return `${stackScopedName(component, 64 - template.length - 1)}-${template}`;
}

/** A template's parts as SES takes them. */
export interface MailTemplate {
    subject: string;
    html: string;
    text: string;
}

/**
 * Reads one template's files. The subject is one line (its trailing newline dropped); every part
 * must have content. Placeholders are SES's (Handlebars) `{{name}}`.
 */
export function loadMailTemplate(template: MailTemplateName, dir: string = MAIL_TEMPLATES_DIR): MailTemplate {
    const read = (suffix: string) => {
        const file = path.join(dir, `${template}.${suffix}`);
        let content: string;
        try {
            content = fs.readFileSync(file, "utf8");
        } catch (e) {
            throw new Error(`Mail template ${template}: cannot read ${file} (${(e as Error).message})`);
        }
        if (content.trim() === "") {
            throw new Error(`Mail template ${template}: ${file} is empty`);
        }
        return content;
    };
    const subject = read("subject.txt").trim();
    if (subject.includes("\n")) {
        throw new Error(`Mail template ${template}: the subject (${template}.subject.txt) must be one line`);
    }
    return { subject, html: read("html"), text: read("txt") };
}

/** The distinct `{{placeholder}}` names in a template part, sorted. */
export function templatePlaceholders(part: string): string[] {
    const names = [...part.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g)].map((m) => m[1]);
    return [...new Set(names)].sort();
}

/** The SES resources a sender needs permission on. */
export interface MailSendResources {
    identityArn: pulumi.Input<string>;
    configurationSetArn: pulumi.Input<string>;
    /** The templates' ARNs (empty without templates). */
    templateArns: pulumi.Input<string>[];
}

/**
 * The IAM statement that lets a role send mail only as `domain` and only through these resources.
 *
 * Resource lists the identity, the configuration set and the templates: SES v2 authorizes a send
 * against the identity and, when a configuration set applies (the identity's default included),
 * against the configuration set too (aws/aws-cdk#34402, usdigitalresponse/usdr-gost#3080); a
 * templated send is authorized against the template as well (aws/serverless-application-model#2844).
 * A send through any other configuration set or template is refused. `ses:FromAddress` must match
 * one of `fromAddresses` (StringLike, case-sensitive: send from lower-case addresses).
 *
 * @param fromAddresses addresses at `domain`, `*` and `?` allowed in the local part.
 *   Default: any address at the domain (`*@<domain>`).
 */
export function mailSendStatements(
    resources: MailSendResources,
    domain: string,
    fromAddresses?: readonly string[],
): PolicyStatement[] {
    const addresses = fromAddresses ?? [`*@${domain}`];
    if (addresses.length === 0) {
        throw new Error("fromAddresses is empty: give at least one address, or none for any address at the domain");
    }
    addresses.forEach((address, i) => {
        const at = address.lastIndexOf("@");
        const local = address.slice(0, at);
        if (at < 0 || address.slice(at + 1) !== domain || !LOCAL_PART.test(local)) {
            throw new Error(
                `fromAddresses[${i}] is ${JSON.stringify(address)}; expected an address at ${domain} ` +
                    `(e.g. no-reply@${domain} or *@${domain})`,
            );
        }
    });
    return [
        {
            Sid: "SendMailAsDomain",
            Effect: "Allow",
            Action: [...SEND_ACTIONS],
            Resource: [resources.identityArn, resources.configurationSetArn, ...resources.templateArns],
            Condition: { StringLike: { "ses:FromAddress": [...addresses] } },
        },
    ];
}

// ---- Args -------------------------------------------------------------------------------------

export interface MailArgs {
    /**
     * The domain mail is sent from, which is the Route 53 zone's name (`example.com`). Changing
     * it replaces the identity, its DKIM keys and every record.
     */
    domain: string;
    /** The Route 53 hosted zone of `domain`, where the DKIM, MAIL FROM and DMARC records go. */
    zoneId: pulumi.Input<string>;
    /**
     * The custom MAIL FROM (bounce) domain's label under `domain`: `mail` gives `mail.<domain>`,
     * which gets the MX and SPF records. It must not be a name that sends or receives other mail.
     * @default "mail"
     */
    mailFromSubdomain?: string;
    /**
     * DMARC policy for mail failing SPF and DKIM alignment: `none` (monitor only), `quarantine`
     * (spam folder) or `reject` (seed 002). Start with `quarantine` while other senders of the
     * domain (a CRM, a helpdesk) are found in the reports, then move to `reject`.
     * @default "quarantine"
     */
    dmarcPolicy?: string;
    /**
     * Where receivers send DMARC aggregate reports (`rua=mailto:`). An address outside `domain`
     * only gets reports if its domain publishes the RFC 7489 §7.1 authorization record
     * (`<domain>._report._dmarc.<its domain>`).
     * @default undefined (no reports)
     */
    dmarcReportAddress?: string;
    /**
     * Create the reference templates (WelcomeEmail, StreakReminder, WeeklyDigest) from
     * `components/mail-templates/`.
     * @default true
     */
    templates?: boolean;
    /** SNS topic of the bounce-rate and complaint-rate alarms (both critical). */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * Protect the domain identity (`protect` and `retainOnDelete`): deleting it stops all mail,
     * and a new identity has new DKIM keys that must verify again. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

interface NormalizedMailArgs {
    domain: string;
    zoneId: pulumi.Input<string>;
    mailFromDomain: string;
    dmarcPolicy: DmarcPolicy;
    dmarcReportAddress?: string;
    templates: boolean;
    alarmRoutes: AlarmRoutes;
    protect: boolean;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeMailArgs(name: string, args: MailArgs): NormalizedMailArgs {
    const check = new ArgChecker("Mail", name, args);
    if (typeof args.domain !== "string") {
        check.fail("domain", "is required: the zone's name, e.g. example.com");
    }
    const domain = args.domain.trim().toLowerCase().replace(/\.$/, "");
    check.rule("domain", domain, domainProblem(domain));
    if (args.zoneId === undefined) {
        check.fail("zoneId", "is required: the Route 53 hosted zone of the domain");
    }
    if (args.alarmTopicArn === undefined) {
        check.fail("alarmTopicArn", "is required: the SNS topic of the bounce- and complaint-rate alarms");
    }

    const subdomain = (args.mailFromSubdomain ?? "mail").toLowerCase();
    if (!subdomain.split(".").every((label) => DNS_LABEL.test(label))) {
        check.fail(
            "mailFromSubdomain",
            `is ${JSON.stringify(subdomain)}; expected DNS labels under the domain, such as "mail" or "bounce"`,
        );
    }
    const mailFromDomain = `${subdomain}.${domain}`;
    if (mailFromDomain.length > 253) {
        check.fail(
            "mailFromSubdomain",
            `makes the MAIL FROM domain ${mailFromDomain.length} characters long; at most 253`,
        );
    }

    const dmarcPolicy = check.oneOf("dmarcPolicy", args.dmarcPolicy ?? "quarantine", DMARC_POLICIES);
    const report = args.dmarcReportAddress?.trim();
    if (report !== undefined) {
        const at = report.lastIndexOf("@");
        // A DMARC URI list separates with commas and sizes with "!": neither may appear unencoded.
        if (at < 1 || !LOCAL_PART.test(report.slice(0, at)) || /[,!*?]/.test(report)) {
            check.fail(
                "dmarcReportAddress",
                `is ${JSON.stringify(report)}; expected an address such as dmarc@${domain}`,
            );
        }
        check.rule("dmarcReportAddress", report, domainProblem(report.slice(at + 1).toLowerCase()));
    }
    const record = dmarcRecord(dmarcPolicy, report);
    if (record.length > 255) {
        check.fail("dmarcReportAddress", "makes the DMARC record longer than one 255-character TXT string");
    }

    return {
        domain,
        zoneId: args.zoneId,
        mailFromDomain,
        dmarcPolicy,
        dmarcReportAddress: report,
        templates: args.templates ?? true,
        alarmRoutes: alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn),
        protect: args.protect ?? false,
    };
}

// ---- Component ----------------------------------------------------------------------------------

/** The raw children of a {@link Mail}. An interface, so that the component package's schema can carry it. */
export interface MailNodes {
    identity: sesv2.EmailIdentity;
    mailFrom: sesv2.EmailIdentityMailFromAttributes;
    configurationSet: sesv2.ConfigurationSet;
    eventDestination: sesv2.ConfigurationSetEventDestination;
    /** The three DKIM CNAMEs, in token order. */
    dkimRecords: route53.Record[];
    mailFromMx: route53.Record;
    mailFromSpf: route53.Record;
    dmarc: route53.Record;
    /** Per reference name; empty without templates. */
    templates: Record<string, ses.Template>;
    alarms: cloudwatch.MetricAlarm[];
}

/**
 * Sending mail from the stack's domain with SES (API v2): the domain identity with Easy DKIM
 * (2048-bit keys), a custom MAIL FROM domain, DMARC, a configuration set every message goes
 * through, the reference templates, reputation alarms, and the IAM statements a sender needs.
 *
 * DNS records it writes in the zone (`zoneId`), all with a 30-minute TTL:
 * - three DKIM CNAMEs `<token>._domainkey.<domain>` → `<token>.dkim.amazonses.com` (a regional
 *   DKIM domain in the regions of {@link REGIONAL_DKIM_DOMAIN_REGIONS}); they also verify the domain,
 *   so there is no `_amazonses` TXT record;
 * - on the MAIL FROM domain `mail.<domain>`: MX `10 feedback-smtp.<region>.amazonses.com` and the
 *   SPF TXT `v=spf1 include:amazonses.com ~all` (seed 002). Bounces then return to a domain of
 *   ours, so SPF aligns with the From domain under DMARC. With `behaviorOnMxFailure`
 *   `USE_DEFAULT_VALUE`, SES falls back to its own MAIL FROM while the MX is missing, rather than
 *   refusing to send;
 * - the DMARC TXT on `_dmarc.<domain>`: `v=DMARC1; p=<dmarcPolicy>[; rua=mailto:<dmarcReportAddress>]`.
 * Nothing is written at the apex: SPF for SES mail is checked on the MAIL FROM domain, and the
 * apex's single TXT record set often holds other entries (site verifications, another provider's
 * SPF). A record that already exists (e.g. a hand-made `_dmarc`) makes the create fail rather
 * than being overwritten: import it or delete it first.
 *
 * DMARC: `p=quarantine` by default, `p=reject` (seed 002) once the aggregate reports show that
 * every legitimate sender of the domain passes; `p=none` only monitors. DMARC covers the whole
 * domain, not just SES, so a stricter policy also applies to any other service sending as it.
 *
 * The configuration set is the identity's default, so every message goes through it: TLS is
 * required to the receiving server (mail that cannot be delivered over TLS is not sent in
 * clear), bounces and complaints add the address to the account's suppression list, reputation
 * metrics are on, and send, delivery, bounce, complaint and reject events are published to
 * CloudWatch with the `ses:configuration-set` dimension (the dashboard widgets read them).
 * Addresses stay on the account-level suppression list until removed
 * (`aws sesv2 delete-suppressed-destination`); SES's global list keeps hard bounces 14 days.
 *
 * Alarms (critical): the account's `Reputation.BounceRate` above 5 % and
 * `Reputation.ComplaintRate` above 0.1 %, the rates at which AWS puts the account under review.
 * They are account-level metrics (no dimensions): two stacks in one account and region watch the
 * same numbers.
 *
 * Senders: {@link Mail.sendPolicyStatements} gives the IAM statements for a task role: the three
 * send actions on this identity, configuration set and templates only, from addresses at the
 * domain only. In the sandbox SES also authorizes against each verified recipient's identity
 * (aws/aws-sdk-js#3641), so test recipients outside the domain need their own identity ARNs.
 *
 * Templates: `WelcomeEmail`, `StreakReminder` and `WeeklyDigest`, each read at construction from
 * `components/mail-templates/<name>.subject.txt`, `.html` and `.txt` (subject, HTML part, text
 * part; `{{placeholder}}` in SES's Handlebars syntax), relative to this module's directory: it
 * works from the sources (ts-node, the offline plan); a compiled copy of the component needs the
 * folder next to it. SES names are stack-scoped (`templateNames`), as templates are per account
 * and region.
 *
 * Leaving the SES sandbox is a request to AWS, not something this code can do: a new account
 * sends only to verified addresses, 200 messages a day, 1 per second, until AWS grants production
 * access (console: SES → Account dashboard → Request production access, or
 * `aws sesv2 put-account-details --production-access-enabled ...`; reviewed by AWS, usually within
 * a day, per region). Raising the quotas (seed 002: 14 messages/s, 50,000/day) is likewise a
 * Service Quotas or support request. One domain identity exists per account and region: two
 * stacks sharing an account need different domains (e.g. `dev.example.com`).
 *
 * ```ts
 * const mail = new Mail("mail", {
 *     domain: "example.com",
 *     zoneId: zone.zoneId,
 *     dmarcPolicy: "reject",
 *     dmarcReportAddress: "dmarc@example.com",
 *     alarmTopicArn: monitoring.alarmTopicArn,
 *     criticalAlarmTopicArn: monitoring.criticalAlarmTopicArn,
 *     protect: true,
 * });
 * new aws.iam.RolePolicy("notifier-mail", {
 *     role: notifier.taskRoleName,
 *     policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: mail.sendPolicyStatements() }),
 * });
 * ```
 *
 * **Cost**: $0.10 per 1,000 messages (+ $0.12/GB of attachments); identity, configuration set,
 * templates and DNS records free (Route 53 queries $0.40/million); 2 alarms × $0.10/month; the
 * five event metrics are billed as CloudWatch custom metrics (≈ $0.30 each/month ≈ $1.50/month).
 */
export class Mail extends pulumi.ComponentResource {
    /** ARN of the domain identity (`arn:aws:ses:<region>:<account>:identity/<domain>`). */
    readonly identityArn: pulumi.Output<string>;
    /** The domain mail is sent from (lower-case). */
    readonly domain: string;
    /** The default sender, `no-reply@<domain>`. */
    readonly fromAddress: string;
    /** The MAIL FROM domain, `<mailFromSubdomain>.<domain>`. */
    readonly mailFromDomain: string;
    /** The configuration set (the identity's default); resolves once it exists. */
    readonly configurationSetName: pulumi.Output<string>;
    readonly configurationSetArn: pulumi.Output<string>;
    /** SES template name per reference name (`WelcomeEmail` → `<project>-<stack>-mail-WelcomeEmail`); empty without templates. */
    readonly templateNames: Record<string, string>;
    /** Widgets for the stack dashboard: events by configuration set, and the account's reputation. */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: MailNodes;

    private readonly name: string;

    constructor(name: string, args: MailArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Mail", name, {}, opts);
        this.name = name;
        const cfg = normalizeMailArgs(name, args);
        const region = getRegionOutput({}, { parent: this }).region;

        const configurationSet = this.createConfigurationSet();
        const eventDestination = this.createEventDestination(configurationSet);
        const identity = this.createIdentity(cfg, configurationSet);
        const dkimRecords = this.createDkimRecords(cfg, identity, region);
        const { mailFrom, mailFromMx, mailFromSpf } = this.createMailFrom(cfg, identity, region);
        const dmarc = this.createDmarcRecord(cfg);
        const templates = cfg.templates ? this.createTemplates() : {};
        const alarms = this.createAlarms(cfg.alarmRoutes);

        this.identityArn = identity.arn;
        this.domain = cfg.domain;
        this.fromAddress = `no-reply@${cfg.domain}`;
        this.mailFromDomain = cfg.mailFromDomain;
        this.configurationSetName = configurationSet.configurationSetName;
        this.configurationSetArn = configurationSet.arn;
        this.templateNames = Object.fromEntries(
            Object.keys(templates).map((t) => [t, templateName(name, t as MailTemplateName)]),
        );
        this.dashboardWidgets = this.createWidgets(configurationSet);
        this.nodes = {
            identity,
            mailFrom,
            configurationSet,
            eventDestination,
            dkimRecords,
            mailFromMx,
            mailFromSpf,
            dmarc,
            templates,
            alarms,
        };
        this.registerOutputs({
            identityArn: this.identityArn,
            configurationSetName: this.configurationSetName,
            configurationSetArn: this.configurationSetArn,
        });
    }

    /**
     * IAM statements for a role that sends as this domain (see {@link mailSendStatements}): the
     * send actions on this identity, configuration set and templates only.
     * @param fromAddresses addresses at the domain the role may send from; default any (`*@<domain>`).
     */
    sendPolicyStatements(fromAddresses?: string[]): PolicyStatement[] {
        try {
            return mailSendStatements(
                {
                    identityArn: this.identityArn,
                    configurationSetArn: this.configurationSetArn,
                    templateArns: Object.values(this.nodes.templates).map((t) => t.arn),
                },
                this.domain,
                fromAddresses,
            );
        } catch (e) {
            throw new Error(`Mail "${this.name}": sendPolicyStatements: ${(e as Error).message}`);
        }
    }

    private createConfigurationSet(): sesv2.ConfigurationSet {
        return new sesv2.ConfigurationSet(
            `${this.name}-configuration-set`,
            {
                // Letters, digits, hyphens and underscores, at most 64; per account and region.
                configurationSetName: stackScopedName(this.name, 64),
                deliveryOptions: { tlsPolicy: "REQUIRE" },
                reputationOptions: { reputationMetricsEnabled: true },
                sendingOptions: { sendingEnabled: true },
                suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
            },
            { parent: this },
        );
    }

    private createEventDestination(configurationSet: sesv2.ConfigurationSet): sesv2.ConfigurationSetEventDestination {
        return new sesv2.ConfigurationSetEventDestination(
            `${this.name}-events`,
            {
                configurationSetName: configurationSet.configurationSetName,
                eventDestinationName: "cloudwatch",
                eventDestination: {
                    enabled: true,
                    matchingEventTypes: [...MAIL_EVENT_TYPES],
                    cloudWatchDestination: {
                        dimensionConfigurations: [
                            {
                                dimensionName: CONFIGURATION_SET_DIMENSION,
                                dimensionValueSource: "MESSAGE_TAG",
                                // Used only when a message carries no value, which the auto-tag
                                // never lacks; the set's own name keeps the graphs in one series.
                                defaultDimensionValue: configurationSet.configurationSetName,
                            },
                        ],
                    },
                },
            },
            { parent: this },
        );
    }

    private createIdentity(cfg: NormalizedMailArgs, configurationSet: sesv2.ConfigurationSet): sesv2.EmailIdentity {
        return new sesv2.EmailIdentity(
            `${this.name}-identity`,
            {
                emailIdentity: cfg.domain,
                // Easy DKIM; 2048-bit keys (RFC 8301 asks for at least 2048), rotated by SES.
                dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" },
                configurationSetName: configurationSet.configurationSetName,
            },
            statefulOptions(this, cfg.protect),
        );
    }

    /**
     * Three records, declared at construction: the count is fixed by Easy DKIM, and only each
     * record's name and value wait for the tokens.
     */
    private createDkimRecords(
        cfg: NormalizedMailArgs,
        identity: sesv2.EmailIdentity,
        region: pulumi.Output<string>,
    ): route53.Record[] {
        return Array.from({ length: DKIM_TOKEN_COUNT }, (_, i) => {
            const record = pulumi.all([identity.dkimSigningAttributes, region]).apply(([attributes, r]) => {
                const tokens = attributes?.tokens ?? [];
                if (tokens.length !== DKIM_TOKEN_COUNT) {
                    throw new Error(
                        `Mail "${this.name}": SES returned ${tokens.length} DKIM tokens for ${cfg.domain}; Easy DKIM gives ${DKIM_TOKEN_COUNT}`,
                    );
                }
                return dkimRecord(cfg.domain, tokens[i], r);
            });
            return new route53.Record(
                `${this.name}-dkim-${i + 1}`,
                {
                    zoneId: cfg.zoneId,
                    name: record.name,
                    type: "CNAME",
                    ttl: RECORD_TTL,
                    records: [record.value],
                },
                { parent: this },
            );
        });
    }

    private createMailFrom(cfg: NormalizedMailArgs, identity: sesv2.EmailIdentity, region: pulumi.Output<string>) {
        const mailFrom = new sesv2.EmailIdentityMailFromAttributes(
            `${this.name}-mail-from`,
            {
                emailIdentity: identity.emailIdentity,
                mailFromDomain: cfg.mailFromDomain,
                behaviorOnMxFailure: "USE_DEFAULT_VALUE",
            },
            { parent: this },
        );
        const mailFromMx = new route53.Record(
            `${this.name}-mail-from-mx`,
            {
                zoneId: cfg.zoneId,
                name: cfg.mailFromDomain,
                type: "MX",
                ttl: RECORD_TTL,
                records: [region.apply(mailFromMxRecord)],
            },
            { parent: this },
        );
        const mailFromSpf = new route53.Record(
            `${this.name}-mail-from-spf`,
            { zoneId: cfg.zoneId, name: cfg.mailFromDomain, type: "TXT", ttl: RECORD_TTL, records: [spfRecord()] },
            { parent: this },
        );
        return { mailFrom, mailFromMx, mailFromSpf };
    }

    private createDmarcRecord(cfg: NormalizedMailArgs): route53.Record {
        return new route53.Record(
            `${this.name}-dmarc`,
            {
                zoneId: cfg.zoneId,
                name: `_dmarc.${cfg.domain}`,
                type: "TXT",
                ttl: RECORD_TTL,
                records: [dmarcRecord(cfg.dmarcPolicy, cfg.dmarcReportAddress)],
            },
            { parent: this },
        );
    }

    private createTemplates(): Record<string, ses.Template> {
        // The SES v2 provider has no template resource; v1 and v2 share the account's templates.
        return Object.fromEntries(
            MAIL_TEMPLATES.map((t) => {
                const parts = loadMailTemplate(t);
                const template = new ses.Template(
                    `${this.name}-${kebab(t)}`,
                    { name: templateName(this.name, t), subject: parts.subject, html: parts.html, text: parts.text },
                    { parent: this },
                );
                return [t, template];
            }),
        );
    }

    private createAlarms(routes: AlarmRoutes): cloudwatch.MetricAlarm[] {
        // Account-level metrics: SES publishes them without dimensions, about once an hour, over a
        // representative volume of recent mail rather than a fixed window.
        const reputation = (metric: string, threshold: number, what: string, fix: string) => ({
            severity: "critical" as const,
            namespace: "AWS/SES",
            metricName: metric,
            dimensions: {},
            statistic: "Maximum",
            period: 3600,
            threshold,
            comparisonOperator: "GreaterThanThreshold",
            description:
                `The account's SES ${what} rate is above ${threshold * 100} %, where AWS puts the account under ` +
                `review and may pause sending (mail from ${this.domain} included). ${fix}`,
        });
        return [
            createAlarm(
                `${this.name}-bounce-rate`,
                reputation(
                    "Reputation.BounceRate",
                    REPUTATION_REVIEW_RATES.bounce,
                    "bounce",
                    "Find the source of invalid addresses (imports, typos at sign-up) and stop sending to them.",
                ),
                routes,
                { parent: this },
            ),
            createAlarm(
                `${this.name}-complaint-rate`,
                reputation(
                    "Reputation.ComplaintRate",
                    REPUTATION_REVIEW_RATES.complaint,
                    "complaint",
                    "Find which mail recipients mark as spam, and send only what they asked for, with an unsubscribe link.",
                ),
                routes,
                { parent: this },
            ),
        ];
    }

    private createWidgets(configurationSet: sesv2.ConfigurationSet): DashboardWidget[] {
        return [
            metricWidget(
                `${this.name}: mail events`,
                MAIL_EVENT_TYPES.map((e) => [
                    "AWS/SES",
                    EVENT_METRICS[e],
                    CONFIGURATION_SET_DIMENSION,
                    configurationSet.configurationSetName,
                ]),
                { stat: "Sum" },
            ),
            metricWidget(
                `${this.name}: account bounce and complaint rates`,
                [
                    ["AWS/SES", "Reputation.BounceRate"],
                    ["AWS/SES", "Reputation.ComplaintRate"],
                ],
                { stat: "Maximum", period: 3600 },
            ),
        ];
    }
}

/** `WelcomeEmail` → `welcome-email`, for logical names. */
function kebab(name: string): string {
    return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
