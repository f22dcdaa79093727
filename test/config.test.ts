import { expect } from "chai";
import {
    ConfigError,
    loadStackConfig,
    PROVIDER_REGIONS,
    SECURE_PLACEHOLDER,
    SUPPORTED_REGIONS,
    TIER_DEFAULTS,
} from "../stacks";

const base = { "aws:region": "us-east-1", "groundwork:environment": "dev" };
/** prod requires a hosted zone. */
const ZONE = { zoneName: "example.com" };

function load(extra: Record<string, unknown>, overrides: Record<string, string | undefined> = {}) {
    const values: Record<string, string> = { ...base };
    for (const [key, value] of Object.entries(extra)) {
        values[`groundwork:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete values[key];
        } else {
            values[key] = value;
        }
    }
    return loadStackConfig(values, "test");
}

function problemsOf(fn: () => unknown): string[] {
    try {
        fn();
    } catch (err) {
        expect(ConfigError.isConfigError(err), `expected a ConfigError, got ${String(err)}`).to.equal(true);
        return (err as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
    }
    throw new Error("expected the config to be rejected");
}

describe("stack config", () => {
    it("resolves dev from the tier: single NAT, 30-day flow logs, nothing protected, reference subnets", () => {
        const config = load({});
        expect(config.environment).to.equal("dev");
        expect(config.protect).to.equal(false);
        expect(config.network).to.deep.include({
            vpcCidr: "10.0.0.0/16",
            azCount: 2,
            natGateways: "single",
            flowLogRetentionDays: 30,
        });
        expect(config.network.subnets.private).to.deep.equal(["10.0.10.0/24", "10.0.20.0/24"]);
    });

    it("resolves prod from the tier: NAT per AZ, 365-day flow logs, protected", () => {
        const config = load({ environment: "prod", alarms: { emails: ["oncall@example.com"] }, dns: ZONE });
        expect(config.protect).to.equal(true);
        expect(config.network).to.deep.include({ natGateways: "perAz", flowLogRetentionDays: 365 });
        expect(config.alarms.emails).to.deep.equal(["oncall@example.com"]);
    });

    it("resolves the alarm routes and each tier's budget, which a stack may change or turn off", () => {
        const dev = load({});
        expect(dev.alarms).to.deep.equal({
            emails: [],
            criticalEmails: [],
            webhookUrl: undefined,
            webhookAutoConfirms: false,
            budget: { monthlyUsd: TIER_DEFAULTS.dev.budgetMonthlyUsd, forecastPercent: 80 },
        });
        const prod = load({ environment: "prod", dns: ZONE, alarms: { emails: ["oncall@example.com"] } });
        expect(prod.alarms.budget).to.deep.equal({
            monthlyUsd: TIER_DEFAULTS.prod.budgetMonthlyUsd,
            forecastPercent: 80,
        });
        const custom = load({
            alarms: {
                emails: ["ops@example.com"],
                criticalEmails: ["pager@example.com"],
                webhookUrl: "https://hooks.example.com/services/T0/B0/x",
                webhookAutoConfirms: true,
                budget: { monthlyUsd: 42.5, forecastPercent: 90 },
            },
        });
        expect(custom.alarms).to.deep.include({
            criticalEmails: ["pager@example.com"],
            webhookUrl: "https://hooks.example.com/services/T0/B0/x",
            webhookAutoConfirms: true,
            budget: { monthlyUsd: 42.5, forecastPercent: 90 },
        });
        expect(load({ alarms: { budget: { enabled: false } } }).alarms.budget).to.equal(undefined);
    });

    it("plans with a secure webhook URL: its presence, not its value, decides the subscription", () => {
        expect(load({ alarms: { webhookUrl: SECURE_PLACEHOLDER } }).alarms.webhookUrl).to.equal(SECURE_PLACEHOLDER);
    });

    it("lets the stack override tier defaults", () => {
        const config = load({ network: { natGateways: "none", flowLogRetentionDays: 7, azCount: 3 } });
        expect(config.network).to.deep.include({ natGateways: "none", flowLogRetentionDays: 7, azCount: 3 });
        expect(config.network.subnets.isolated).to.deep.equal(["10.0.100.0/24", "10.0.110.0/24", "10.0.120.0/24"]);
    });

    it("takes a NAT instance in dev and refuses it in prod, naming the key", () => {
        expect(load({ network: { natGateways: "instance" } }).network.natGateways).to.equal("instance");
        const prod = { environment: "prod", alarms: { emails: ["oncall@example.com"] }, dns: ZONE };
        expect(problemsOf(() => load({ ...prod, network: { natGateways: "instance" } }))).to.deep.equal([
            'groundwork:network.natGateways: "instance" is refused in prod: one NAT instance is a single point of failure for every private subnet\'s egress and is ours to patch; use perAz (or single)',
        ]);
    });

    it("takes interface endpoints from the known list, none by default in either tier", () => {
        expect(load({}).network.interfaceEndpoints).to.deep.equal([]);
        const prod = { environment: "prod", alarms: { emails: ["oncall@example.com"] }, dns: ZONE };
        expect(load(prod).network.interfaceEndpoints).to.deep.equal([]);
        expect(
            load({ network: { interfaceEndpoints: ["ecr.api", "ecr.dkr"] } }).network.interfaceEndpoints,
        ).to.deep.equal(["ecr.api", "ecr.dkr"]);
        const [unknown] = problemsOf(() => load({ network: { interfaceEndpoints: ["logs", "s3"] } }));
        expect(unknown).to.match(
            /^groundwork:network\.interfaceEndpoints\[1\]: "s3" is not allowed; use one of: ecr\.api, /,
        );
        const [twice] = problemsOf(() => load({ network: { interfaceEndpoints: ["logs", "logs"] } }));
        expect(twice).to.match(/^groundwork:network\.interfaceEndpoints\[1\]: "logs" /);
    });

    it("builds tags from owner and cost centre", () => {
        const config = load({ owner: "web-team", costCentre: "cc-42" });
        expect(config.tags).to.deep.include({
            owner: "web-team",
            "cost-centre": "cc-42",
            environment: "dev",
            "managed-by": "pulumi",
        });
    });

    const subnets = (override: Partial<Record<"public" | "private" | "isolated", string[]>>) => ({
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        private: ["10.0.10.0/24", "10.0.20.0/24"],
        isolated: ["10.0.100.0/24", "10.0.110.0/24"],
        ...override,
    });

    const badInputs: {
        what: string;
        extra: Record<string, unknown>;
        overrides?: Record<string, string | undefined>;
        expected: RegExp;
    }[] = [
        {
            what: "a VPC CIDR with a /33 prefix",
            extra: { network: { vpcCidr: "10.0.0.0/33" } },
            expected: /^groundwork:network\.vpcCidr: "10\.0\.0\.0\/33" is not a valid IPv4 CIDR/,
        },
        {
            what: "a VPC CIDR with host bits",
            extra: { network: { vpcCidr: "10.0.0.1/16" } },
            expected: /^groundwork:network\.vpcCidr: "10\.0\.0\.1\/16" is not a valid IPv4 CIDR/,
        },
        {
            what: "a VPC larger than AWS allows",
            extra: { network: { vpcCidr: "10.0.0.0/8" } },
            expected: /^groundwork:network\.vpcCidr: "10\.0\.0\.0\/8" must have a prefix from \/16 to \/28/,
        },
        {
            what: "a subnet outside the VPC",
            extra: { network: { subnets: subnets({ private: ["10.1.10.0/24", "10.0.20.0/24"] }) } },
            expected:
                /^groundwork:network\.subnets\.private\[0\]: "10\.1\.10\.0\/24" is not inside the VPC CIDR 10\.0\.0\.0\/16/,
        },
        {
            what: "overlapping subnets",
            extra: { network: { subnets: subnets({ isolated: ["10.0.100.0/24", "10.0.100.128/25"] }) } },
            expected:
                /^groundwork:network\.subnets\.isolated\[1\]: "10\.0\.100\.128\/25" overlaps subnets\.isolated\[0\]/,
        },
        {
            what: "fewer subnets than AZs",
            extra: { network: { subnets: subnets({ public: ["10.0.1.0/24"] }) } },
            expected: /^groundwork:network\.subnets\.public: has 1 CIDR\(s\) but the VPC spans 2/,
        },
        {
            what: "a malformed subnet CIDR",
            extra: { network: { subnets: subnets({ public: ["10.0.1.0/24", "10.0.2/24"] }) } },
            expected: /^groundwork:network\.subnets\.public\[1\]: "10\.0\.2\/24" is not a valid IPv4 CIDR/,
        },
        {
            what: "an unknown tier",
            extra: { environment: "staging" },
            expected: /^groundwork:environment: "staging" is not allowed; use one of: dev, prod$/,
        },
        {
            what: "a missing tier",
            extra: {},
            overrides: { "groundwork:environment": undefined },
            expected: /^groundwork:environment: is required/,
        },
        {
            what: "an unknown NAT strategy",
            extra: { network: { natGateways: "two" } },
            expected:
                /^groundwork:network\.natGateways: "two" is not allowed; use one of: none, single, perAz, instance$/,
        },
        {
            what: "a number given as a string",
            extra: { network: { azCount: "2" } },
            expected: /^groundwork:network\.azCount: "2" must be a number, not a string$/,
        },
        {
            what: "a section that is not an object",
            extra: { network: "big" },
            expected: /^groundwork:network: "big" must be an object, not a string$/,
        },
        {
            what: "one AZ (a database subnet group needs two)",
            extra: { network: { azCount: 1 } },
            expected: /^groundwork:network\.azCount: 1 must be at least 2$/,
        },
        {
            what: "an invalid log retention",
            extra: { network: { flowLogRetentionDays: 31 } },
            expected:
                /^groundwork:network\.flowLogRetentionDays: 31 is not a CloudWatch Logs retention period; allowed: 1, 3, 5/,
        },
        {
            what: "a misspelt key inside a section",
            extra: { network: { natGateway: "single" } },
            expected: /^groundwork:network\.natGateway: is not a known config key/,
        },
        {
            what: "a misspelt top-level key",
            extra: { netwrok: { natGateways: "single" } },
            expected: /^groundwork:netwrok: is not a known config key/,
        },
        {
            what: "an AZ of another region",
            extra: { network: { availabilityZones: ["us-east-1a", "eu-west-1b"] } },
            expected: /^groundwork:network\.availabilityZones\[1\]: "eu-west-1b" is not in region us-east-1$/,
        },
        {
            what: "azCount disagreeing with the AZ list",
            extra: { network: { availabilityZones: ["us-east-1a", "us-east-1b"], azCount: 3 } },
            expected: /^groundwork:network\.azCount: is 3 but network\.availabilityZones lists 2/,
        },
        {
            what: "a bad alarm e-mail",
            extra: { alarms: { emails: ["ops at example"] } },
            expected: /^groundwork:alarms\.emails\[0\]: "ops at example" is not an e-mail address$/,
        },
        {
            what: "a webhook that is not https (the URL is not repeated: it may carry a token)",
            extra: { alarms: { webhookUrl: "http://hooks.example.com/t0k3n" } },
            expected: /^groundwork:alarms\.webhookUrl: is not an https:\/\/ URL \(SNS's https protocol needs one\)$/,
        },
        {
            what: "a budget of zero dollars",
            extra: { alarms: { budget: { monthlyUsd: 0 } } },
            expected: /^groundwork:alarms\.budget\.monthlyUsd: 0 /,
        },
        {
            what: "a misspelt budget key",
            extra: { alarms: { budget: { monthly: 100 } } },
            expected:
                /^groundwork:alarms\.budget\.monthly: is not a known config key; known here: enabled, monthlyUsd, forecastPercent$/,
        },
        {
            what: "a bad critical-only e-mail",
            extra: { alarms: { criticalEmails: ["pager"] } },
            expected: /^groundwork:alarms\.criticalEmails\[0\]: "pager" is not an e-mail address$/,
        },
        {
            what: "prod without alarm e-mails",
            extra: { environment: "prod", alarms: { emails: [] }, dns: ZONE },
            expected: /^groundwork:alarms\.emails: is empty; prod needs at least one address/,
        },
        {
            what: "a missing region",
            extra: {},
            overrides: { "aws:region": undefined },
            expected: /^aws:region: is required/,
        },
        {
            what: "a malformed region",
            extra: {},
            overrides: { "aws:region": "Virginia" },
            expected: /^aws:region: "Virginia" is not an AWS region; regions: af-south-1, /,
        },
        {
            what: "a region shaped like one that AWS does not have",
            extra: {},
            overrides: { "aws:region": "us-east-9" },
            expected: /^aws:region: "us-east-9" is not an AWS region \(did you mean us-east-1\?\)/,
        },
        {
            what: "a China region",
            extra: {},
            overrides: { "aws:region": "cn-north-1" },
            expected:
                /^aws:region: "cn-north-1" is in the aws-cn \(China\) partition, which Groundwork does not support: its service principals end in amazonaws\.com\.cn, not amazonaws\.com$/,
        },
        {
            what: "a duplicate alarm e-mail (any case)",
            extra: { alarms: { emails: ["ops@example.com", "Ops@Example.com"] } },
            expected:
                /^groundwork:alarms\.emails\[1\]: "Ops@Example\.com" is listed twice \(also at \[0\]\); remove the duplicate$/,
        },
        {
            what: "a duplicate secret name",
            extra: { secrets: { thirdPartyKeys: ["payments", "maps", "payments"] } },
            expected: /^groundwork:secrets\.thirdPartyKeys\[2\]: "payments" is listed twice \(also at \[0\]\)/,
        },
        {
            what: "a duplicate AZ",
            extra: { network: { availabilityZones: ["us-east-1a", "us-east-1a"] } },
            expected: /^groundwork:network\.availabilityZones\[1\]: "us-east-1a" is listed twice/,
        },
        {
            what: "a duplicate subnet CIDR",
            extra: { network: { subnets: subnets({ public: ["10.0.1.0/24", "10.0.1.0/24"] }) } },
            expected: /^groundwork:network\.subnets\.public\[1\]: "10\.0\.1\.0\/24" is listed twice/,
        },
        {
            what: "a misspelt key, with the nearest known one",
            extra: { network: { natGatways: "single" } },
            expected:
                /^groundwork:network\.natGatways: is not a known config key; did you mean natGateways\? known here: vpcCidr, /,
        },
        {
            what: "a secure value where the environment should be",
            extra: { environment: SECURE_PLACEHOLDER },
            expected: /^groundwork:environment: is a secure value, which the offline plan cannot decrypt/,
        },
        {
            what: "a secure value in the network layout",
            extra: { network: { vpcCidr: SECURE_PLACEHOLDER } },
            expected: /^groundwork:network\.vpcCidr: is a secure value, which the offline plan cannot decrypt/,
        },
        {
            what: "a secure value where a number is expected (it decrypts to a string)",
            extra: { database: { maxConnections: SECURE_PLACEHOLDER } },
            expected: /^groundwork:database\.maxConnections: .* must be a number, not a string$/,
        },
        {
            what: "a default layout for a VPC too small for it",
            extra: { network: { vpcCidr: "10.0.0.0/24" } },
            expected: /^groundwork:network\.subnets: no default subnet layout for a \/24 VPC/,
        },
    ];

    for (const bad of badInputs) {
        it(`rejects ${bad.what}, naming the key`, () => {
            const problems = problemsOf(() => load(bad.extra, bad.overrides));
            expect(problems, problems.join("\n")).to.have.length(1);
            expect(problems[0]).to.match(bad.expected);
        });
    }

    it("accepts every region of the AWS provider in the amazonaws.com partitions, GovCloud included", () => {
        for (const region of SUPPORTED_REGIONS) {
            expect(load({}, { "aws:region": region }).region, region).to.equal(region);
        }
        expect(SUPPORTED_REGIONS).to.include.members(["us-east-1", "eu-central-2", "mx-central-1", "us-gov-west-1"]);
    });

    it("rejects, one line each, the provider's regions whose service principals are not amazonaws.com", () => {
        const rejected = PROVIDER_REGIONS.filter((r) => !SUPPORTED_REGIONS.includes(r));
        expect(rejected).to.include.members(["cn-north-1", "cn-northwest-1", "eusc-de-east-1", "us-iso-east-1"]);
        for (const region of rejected) {
            const found = problemsOf(() => load({}, { "aws:region": region }));
            expect(found, region).to.have.length(1);
            expect(found[0], region).to.match(
                new RegExp(
                    `^aws:region: "${region}" is in the aws-[a-z-]+( \\([^)]+\\))? partition, which Groundwork does not support`,
                ),
            );
        }
    });

    it("loads a minimal dev stack: only aws:region and the environment, no alarm e-mail", () => {
        const config = loadStackConfig({ "aws:region": "eu-west-1", "groundwork:environment": "dev" }, "dev");
        expect(config.alarms.emails).to.deep.equal([]);
        expect(config.tags).to.not.have.any.keys("owner", "cost-centre");
        expect(config.network.natGateways).to.equal("single");
    });

    it("treats an empty owner or cost centre (Pulumi.yaml's default) as not set", () => {
        const config = load({ owner: "", costCentre: "" });
        expect(config.tags).to.not.have.any.keys("owner", "cost-centre");
    });

    it("does not check the format of a secure value it cannot decrypt (pulumi up checks the real one)", () => {
        const config = load({
            owner: SECURE_PLACEHOLDER,
            alarms: { emails: ["ops@example.com", SECURE_PLACEHOLDER] },
            storage: { corsOrigins: [SECURE_PLACEHOLDER] },
            database: { username: SECURE_PLACEHOLDER, drRegion: SECURE_PLACEHOLDER },
        });
        expect(config.alarms.emails).to.deep.equal(["ops@example.com", SECURE_PLACEHOLDER]);
        expect(config.tags.owner).to.equal(SECURE_PLACEHOLDER);
        expect(config.database.username).to.equal(SECURE_PLACEHOLDER);
    });

    it("still checks a secure value's neighbours in prod (a plain http origin)", () => {
        const problems = problemsOf(() =>
            load({
                environment: "prod",
                dns: ZONE,
                alarms: { emails: [SECURE_PLACEHOLDER] },
                storage: { corsOrigins: [SECURE_PLACEHOLDER, "http://app.example.com"] },
            }),
        );
        expect(problems).to.deep.equal([
            'groundwork:storage.corsOrigins[1]: "http://app.example.com" is not allowed in prod; only https:// origins',
        ]);
    });

    it("reports every problem at once, one line each", () => {
        const problems = problemsOf(() => load({ environment: "qa", network: { natGateways: "x", vpcCidr: "nope" } }));
        expect(problems).to.have.length(3);
        for (const problem of problems) {
            expect(problem.split("\n"), problem).to.have.length(1);
        }
    });

    it("is a RunError, so pulumi prints the message without a stack trace", () => {
        try {
            load({ environment: "qa" });
            expect.fail("expected a ConfigError");
        } catch (err) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            expect(require("@pulumi/pulumi").RunError.isInstance(err)).to.equal(true);
        }
    });
});
