import { expect } from "chai";
import * as fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Policy } from "@pulumi/aws/iam/policy";
import {
    DKIM_TOKEN_COUNT,
    MAIL_TEMPLATES,
    Mail,
    MailArgs,
    SEND_ACTIONS,
    dkimDomain,
    dkimRecord,
    dmarcRecord,
    domainProblem,
    loadMailTemplate,
    mailFromMxRecord,
    mailSendStatements,
    normalizeMailArgs,
    spfRecord,
    templateName,
    templatePlaceholders,
} from "../../components/mail";
import { runProgram } from "../../tools/harness";
import { UNKNOWN_SENTINEL } from "../../tools/plan-types";
import { evaluate, expectClean } from "../policy/fixtures";
import { Recorded, promiseOf, run } from "../helpers";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms";
const ZONE = "Z0123456789ABCDEFGHIJ";
const BASE: MailArgs = { domain: "example.com", zoneId: ZONE, alarmTopicArn: TOPIC };

const IDENTITY = "aws:sesv2/emailIdentity:EmailIdentity";
const MAIL_FROM = "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes";
const CONFIGURATION_SET = "aws:sesv2/configurationSet:ConfigurationSet";
const EVENT_DESTINATION = "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination";
const RECORD = "aws:route53/record:Record";
const TEMPLATE = "aws:ses/template:Template";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

async function mail(args: Partial<MailArgs> = {}): Promise<{ rec: Recorded; mail: Mail }> {
    let created: Mail | undefined;
    const rec = await run(() => {
        created = new Mail("mail", { ...BASE, ...args });
    });
    return { rec, mail: created! };
}

const argError = (args: Partial<MailArgs>) => () => normalizeMailArgs("mail", { ...BASE, ...args } as MailArgs);

describe("Mail", () => {
    describe("records and names (pure)", () => {
        it("writes seed 002's SPF and the DMARC record for each policy, with reports when asked", () => {
            expect(spfRecord()).to.equal("v=spf1 include:amazonses.com ~all");
            expect(dmarcRecord("quarantine")).to.equal("v=DMARC1; p=quarantine");
            expect(dmarcRecord("none")).to.equal("v=DMARC1; p=none");
            expect(dmarcRecord("reject", "dmarc@example.com")).to.equal(
                "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
            );
            expect(() => dmarcRecord("block" as never)).to.throw(/none, quarantine, reject/);
        });

        it("points the MAIL FROM MX at the region's feedback endpoint", () => {
            expect(mailFromMxRecord("eu-west-1")).to.equal("10 feedback-smtp.eu-west-1.amazonses.com");
        });

        it("uses dkim.amazonses.com except in the regions with a DKIM domain of their own", () => {
            expect(dkimRecord("example.com", "abc123", "us-east-1")).to.deep.equal({
                name: "abc123._domainkey.example.com",
                value: "abc123.dkim.amazonses.com",
            });
            expect(dkimDomain("af-south-1")).to.equal("dkim.af-south-1.amazonses.com");
            expect(dkimDomain("eu-central-1")).to.equal("dkim.amazonses.com");
        });

        it("accepts domains and refuses what is not one", () => {
            for (const ok of ["example.com", "mail.example.co.uk", "x-1.io"]) {
                expect(domainProblem(ok), ok).to.equal(undefined);
            }
            expect(domainProblem("localhost")).to.match(/two labels/);
            expect(domainProblem("exa_mple.com")).to.match(/label "exa_mple"/);
            expect(domainProblem("10.0.0.1")).to.match(/IP address/);
            expect(domainProblem(`${"a".repeat(63)}.`.repeat(4) + "com")).to.match(/at most 253/);
        });

        it("names templates per stack and component, within SES's 64 characters, ending in the reference name", () => {
            expect(templateName("mail", "WelcomeEmail")).to.equal("groundwork-test-mail-WelcomeEmail");
            fc.assert(
                fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,80}$/), fc.constantFrom(...MAIL_TEMPLATES), (c, t) => {
                    const n = templateName(c, t);
                    return n.length <= 64 && n.endsWith(`-${t}`) && /^[A-Za-z0-9_-]+$/.test(n);
                }),
            );
        });
    });

    describe("args", () => {
        it("defaults: mail.<domain>, quarantine, templates on, unprotected; the domain is lower-cased", () => {
            const cfg = normalizeMailArgs("mail", { ...BASE, domain: "Example.COM." });
            expect(cfg).to.deep.include({
                domain: "example.com",
                mailFromDomain: "mail.example.com",
                dmarcPolicy: "quarantine",
                templates: true,
                protect: false,
            });
            expect(cfg.dmarcReportAddress).to.equal(undefined);
        });

        it("refuses a bad domain, MAIL FROM label, DMARC policy or report address, naming the argument", () => {
            expect(argError({ domain: "example" })).to.throw(/args\.domain is "example", which is not a domain/);
            expect(argError({ mailFromSubdomain: "bad_label" })).to.throw(/args\.mailFromSubdomain is "bad_label"/);
            const long = `${"a".repeat(62)}.`.repeat(3) + `${"b".repeat(55)}.com`;
            expect(argError({ domain: long, mailFromSubdomain: "bounces" })).to.throw(
                /args\.mailFromSubdomain makes the MAIL FROM domain 2\d\d characters long/,
            );
            expect(argError({ dmarcPolicy: "block" })).to.throw(
                /args\.dmarcPolicy is "block"; allowed: none, quarantine, reject/,
            );
            expect(argError({ dmarcReportAddress: "dmarc" })).to.throw(/args\.dmarcReportAddress is "dmarc"/);
            expect(argError({ dmarcReportAddress: "a,b@example.com" })).to.throw(/args\.dmarcReportAddress/);
            expect(argError({ dmarcReportAddress: "dmarc@localhost" })).to.throw(/args\.dmarcReportAddress/);
        });

        it("requires the zone and the alarm topic", () => {
            expect(argError({ zoneId: undefined })).to.throw(/args\.zoneId is required/);
            expect(argError({ alarmTopicArn: undefined })).to.throw(/args\.alarmTopicArn is required/);
        });

        it("takes a multi-label MAIL FROM subdomain and seed 002's reject policy with reports", () => {
            const cfg = normalizeMailArgs("mail", {
                ...BASE,
                mailFromSubdomain: "bounce.mail",
                dmarcPolicy: "reject",
                dmarcReportAddress: "dmarc@example.com",
            });
            expect(cfg).to.deep.include({
                mailFromDomain: "bounce.mail.example.com",
                dmarcPolicy: "reject",
                dmarcReportAddress: "dmarc@example.com",
            });
        });
    });

    describe("templates (files)", () => {
        for (const t of MAIL_TEMPLATES) {
            it(`${t}: a one-line subject, and HTML and text parts with the same placeholders`, () => {
                const parts = loadMailTemplate(t);
                expect(parts.subject).to.not.include("\n");
                const html = templatePlaceholders(parts.html);
                expect(html).to.include("name");
                expect(templatePlaceholders(parts.text)).to.deep.equal(html);
                for (const p of templatePlaceholders(parts.subject)) {
                    expect(html, `${t} subject placeholder ${p}`).to.include(p);
                }
            });
        }

        it("says which file is missing or empty", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mail-templates-"));
            expect(() => loadMailTemplate("WelcomeEmail", dir)).to.throw(
                /WelcomeEmail: cannot read .*WelcomeEmail\.subject\.txt/,
            );
            fs.writeFileSync(path.join(dir, "WelcomeEmail.subject.txt"), "Hi\n");
            fs.writeFileSync(path.join(dir, "WelcomeEmail.html"), "  \n");
            expect(() => loadMailTemplate("WelcomeEmail", dir)).to.throw(/WelcomeEmail\.html is empty/);
        });

        it("finds placeholders with or without inner spaces, once each", () => {
            expect(templatePlaceholders("{{b}} {{ a }} {{b}} {a} {{user.name}}")).to.deep.equal([
                "a",
                "b",
                "user.name",
            ]);
        });
    });

    describe("send statements (pure)", () => {
        const resources = {
            identityArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            configurationSetArn: "arn:aws:ses:us-east-1:123456789012:configuration-set/mail",
            templateArns: ["arn:aws:ses:us-east-1:123456789012:template/t"],
        };

        it("allows the send actions on the identity, configuration set and templates, from the domain only", () => {
            expect(mailSendStatements(resources, "example.com")).to.deep.equal([
                {
                    Sid: "SendMailAsDomain",
                    Effect: "Allow",
                    Action: ["ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail"],
                    Resource: [resources.identityArn, resources.configurationSetArn, ...resources.templateArns],
                    Condition: { StringLike: { "ses:FromAddress": ["*@example.com"] } },
                },
            ]);
        });

        it("narrows to the given addresses and refuses addresses outside the domain", () => {
            const [st] = mailSendStatements(resources, "example.com", ["no-reply@example.com", "digest-*@example.com"]);
            expect(st.Condition).to.deep.equal({
                StringLike: { "ses:FromAddress": ["no-reply@example.com", "digest-*@example.com"] },
            });
            expect(() => mailSendStatements(resources, "example.com", ["a@example.org"])).to.throw(
                /fromAddresses\[0\] is "a@example.org"/,
            );
            expect(() => mailSendStatements(resources, "example.com", ["a@sub.example.com"])).to.throw(
                /fromAddresses\[0\]/,
            );
            expect(() => mailSendStatements(resources, "example.com", ["@example.com"])).to.throw(/fromAddresses\[0\]/);
            expect(() => mailSendStatements(resources, "example.com", [])).to.throw(/empty/);
        });
    });

    describe("component", () => {
        let rec: Recorded;
        let created: Mail;
        before(async () => {
            ({ rec, mail: created } = await mail());
        });

        it("verifies the domain with Easy DKIM (2048-bit) and sends through its configuration set by default", () => {
            const identity = rec.one(IDENTITY, "mail-identity");
            expect(identity.props).to.deep.include({
                emailIdentity: "example.com",
                dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" },
            });
            const set = rec.one(CONFIGURATION_SET, "mail-configuration-set");
            expect(identity.props.configurationSetName).to.equal(set.props.configurationSetName);
            expect(identity.propertyDependencies.configurationSetName).to.deep.equal([set.urn]);
        });

        it("declares exactly three DKIM CNAMEs named and pointed from the identity's tokens", async () => {
            const records = rec.ofType(RECORD).filter((r) => r.props.type === "CNAME");
            expect(records.map((r) => r.name)).to.deep.equal(["mail-dkim-1", "mail-dkim-2", "mail-dkim-3"]);
            const tokens = (await promiseOf(created.nodes.identity.dkimSigningAttributes)).tokens;
            expect(tokens).to.have.length(DKIM_TOKEN_COUNT);
            records.forEach((r, i) => {
                expect(r.props).to.deep.include({
                    zoneId: ZONE,
                    name: `${tokens[i]}._domainkey.example.com`,
                    records: [`${tokens[i]}.dkim.amazonses.com`],
                    ttl: 1800,
                });
                expect(r.propertyDependencies.name).to.deep.equal([rec.one(IDENTITY, "mail-identity").urn]);
            });
        });

        it("sets the MAIL FROM domain with its MX and SPF records (seed 002)", () => {
            const mailFrom = rec.one(MAIL_FROM, "mail-mail-from");
            expect(mailFrom.props).to.include({
                emailIdentity: "example.com",
                mailFromDomain: "mail.example.com",
                behaviorOnMxFailure: "USE_DEFAULT_VALUE",
            });
            expect(rec.named("mail-mail-from-mx").props).to.deep.include({
                name: "mail.example.com",
                type: "MX",
                records: ["10 feedback-smtp.us-east-1.amazonses.com"],
            });
            expect(rec.named("mail-mail-from-spf").props).to.deep.include({
                name: "mail.example.com",
                type: "TXT",
                records: ["v=spf1 include:amazonses.com ~all"],
            });
        });

        it("publishes a quarantine DMARC policy by default, and nothing at the apex", () => {
            expect(rec.named("mail-dmarc").props).to.deep.include({
                name: "_dmarc.example.com",
                type: "TXT",
                records: ["v=DMARC1; p=quarantine"],
            });
            expect(rec.ofType(RECORD).map((r) => r.props.name)).not.to.include("example.com");
        });

        it("requires TLS, suppresses bounces and complaints, and tracks reputation on the configuration set", () => {
            expect(rec.one(CONFIGURATION_SET, "mail-configuration-set").props).to.deep.include({
                configurationSetName: "groundwork-test-mail",
                deliveryOptions: { tlsPolicy: "REQUIRE" },
                reputationOptions: { reputationMetricsEnabled: true },
                sendingOptions: { sendingEnabled: true },
                suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
            });
        });

        it("publishes send, delivery, bounce, complaint and reject events to CloudWatch by configuration set", () => {
            const destination = rec.one(EVENT_DESTINATION, "mail-events");
            expect(destination.props.configurationSetName).to.equal("groundwork-test-mail");
            expect(destination.props.eventDestination).to.deep.equal({
                enabled: true,
                matchingEventTypes: ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "REJECT"],
                cloudWatchDestination: {
                    dimensionConfigurations: [
                        {
                            dimensionName: "ses:configuration-set",
                            dimensionValueSource: "MESSAGE_TAG",
                            defaultDimensionValue: "groundwork-test-mail",
                        },
                    ],
                },
            });
        });

        it("creates the three templates from the files, under stack-scoped names", () => {
            const templates = rec.ofType(TEMPLATE);
            expect(templates.map((t) => t.name)).to.deep.equal([
                "mail-welcome-email",
                "mail-streak-reminder",
                "mail-weekly-digest",
            ]);
            for (const t of MAIL_TEMPLATES) {
                const parts = loadMailTemplate(t);
                const recorded = templates.find((r) => r.props.name === templateName("mail", t))!;
                expect(recorded.props).to.deep.equal({
                    name: `groundwork-test-mail-${t}`,
                    subject: parts.subject,
                    html: parts.html,
                    text: parts.text,
                });
            }
            expect(created.templateNames).to.deep.equal({
                WelcomeEmail: "groundwork-test-mail-WelcomeEmail",
                StreakReminder: "groundwork-test-mail-StreakReminder",
                WeeklyDigest: "groundwork-test-mail-WeeklyDigest",
            });
        });

        it("alarms critically on the account's bounce rate above 5 % and complaint rate above 0.1 %", () => {
            const alarms = rec.ofType(ALARM);
            expect(alarms.map((a) => a.name)).to.deep.equal(["mail-bounce-rate", "mail-complaint-rate"]);
            const [bounce, complaint] = alarms;
            for (const a of alarms) {
                expect(a.props).to.deep.include({
                    namespace: "AWS/SES",
                    dimensions: {},
                    comparisonOperator: "GreaterThanThreshold",
                    alarmActions: [TOPIC],
                    okActions: [TOPIC],
                });
                expect(a.props.alarmDescription).to.match(/^\[critical\]/);
            }
            expect(bounce.props).to.include({ metricName: "Reputation.BounceRate", threshold: 0.05 });
            expect(complaint.props).to.include({ metricName: "Reputation.ComplaintRate", threshold: 0.001 });
        });

        it("exposes identity, domain, sender, configuration set and dashboard widgets", async () => {
            expect(await promiseOf(created.identityArn)).to.equal(
                "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            );
            expect(created.domain).to.equal("example.com");
            expect(created.fromAddress).to.equal("no-reply@example.com");
            expect(created.mailFromDomain).to.equal("mail.example.com");
            expect(await promiseOf(created.configurationSetName)).to.equal("groundwork-test-mail");
            expect(await promiseOf(created.configurationSetArn)).to.equal(
                "arn:aws:ses:us-east-1:123456789012:configuration-set/groundwork-test-mail",
            );
            const [events, reputation] = await Promise.all(
                created.dashboardWidgets.map((w) => promiseOf(pulumi.output(w.properties))),
            );
            expect(events.metrics).to.deep.equal(
                ["Send", "Delivery", "Bounce", "Complaint", "Reject"].map((m) => [
                    "AWS/SES",
                    m,
                    "ses:configuration-set",
                    "groundwork-test-mail",
                ]),
            );
            expect(reputation.metrics).to.deep.equal([
                ["AWS/SES", "Reputation.BounceRate"],
                ["AWS/SES", "Reputation.ComplaintRate"],
            ]);
        });

        it("grants sending only on its identity, configuration set and templates, from its domain", async () => {
            const [statement] = created.sendPolicyStatements();
            const resolved = await promiseOf(pulumi.output(statement.Resource as pulumi.Input<string[]>));
            expect(resolved).to.deep.equal([
                "arn:aws:ses:us-east-1:123456789012:identity/example.com",
                "arn:aws:ses:us-east-1:123456789012:configuration-set/groundwork-test-mail",
                ...MAIL_TEMPLATES.map((t) => `arn:aws:ses:us-east-1:123456789012:template/groundwork-test-mail-${t}`),
            ]);
            expect(statement.Action).to.deep.equal([...SEND_ACTIONS]);
            expect(statement.Condition).to.deep.equal({ StringLike: { "ses:FromAddress": ["*@example.com"] } });
            expect(() => created.sendPolicyStatements(["x@example.org"])).to.throw(
                /Mail "mail": sendPolicyStatements: fromAddresses\[0\]/,
            );
        });

        it("leaves the identity unprotected unless asked", () => {
            expect(rec.one(IDENTITY, "mail-identity").options).to.include({ protect: false, retainOnDelete: false });
        });
    });

    it("with seed 002's settings: reject with reports, protected identity, no templates", async () => {
        const { rec, mail: created } = await mail({
            dmarcPolicy: "reject",
            dmarcReportAddress: "dmarc@example.com",
            templates: false,
            protect: true,
        });
        expect(rec.named("mail-dmarc").props.records).to.deep.equal([
            "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
        ]);
        expect(rec.one(IDENTITY, "mail-identity").options).to.include({ protect: true, retainOnDelete: true });
        expect(rec.ofType(TEMPLATE)).to.deep.equal([]);
        expect(created.templateNames).to.deep.equal({});
        const [statement] = created.sendPolicyStatements();
        expect(await promiseOf(pulumi.output(statement.Resource as pulumi.Input<string[]>))).to.have.length(2);
    });

    it("points DKIM records at the regional DKIM domain and MX at the regional endpoint in af-south-1", async () => {
        const rec = await run(() => new Mail("mail", BASE), "test", { "aws:region": "af-south-1" });
        for (const r of rec.ofType(RECORD).filter((x) => x.props.type === "CNAME")) {
            expect((r.props.records as string[])[0]).to.match(/^[0-9a-f]{32}\.dkim\.af-south-1\.amazonses\.com$/);
        }
        expect(rec.named("mail-mail-from-mx").props.records).to.deep.equal([
            "10 feedback-smtp.af-south-1.amazonses.com",
        ]);
    });

    it("declares all three DKIM records at a first preview, when the tokens are unknown", async () => {
        const { resources } = await runProgram({
            project: "groundwork",
            stack: "test",
            config: { "aws:region": "us-east-1" },
            program: () => new Mail("mail", BASE),
            firstPreview: true,
        });
        const dkim = resources.filter((r) => r.type === RECORD && r.props.type === "CNAME");
        expect(dkim.map((r) => r.name)).to.deep.equal(["mail-dkim-1", "mail-dkim-2", "mail-dkim-3"]);
        for (const r of dkim) {
            expect(r.props.name, r.name).to.equal(UNKNOWN_SENTINEL);
        }
    });

    it("passes the pack: TLS required (tls-ses), send policy without wildcards (iam-no-wildcard)", async () => {
        const rec = await run(() => {
            const m = new Mail("mail", BASE);
            new Policy("notifier-mail", {
                policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: m.sendPolicyStatements() }),
            });
        });
        const report = evaluate(rec.resources);
        expectClean(report, "tls-ses");
        expectClean(report, "iam-no-wildcard");
        expectClean(report, "alarm-ok-actions");
    });
});
