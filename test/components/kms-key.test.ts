import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { stackScopedName } from "../../components/common";
import { KmsKeyArgs, cloudWatchLogsPrincipal, createKmsKey } from "../../components/kms-key";
import { Recorded, run } from "../helpers";

class Holder extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Holder", name, {}, {});
    }
}

async function key(args: Partial<KmsKeyArgs> = {}): Promise<Recorded> {
    return run(() => {
        createKmsKey("thing-key", { description: "Encrypts the thing", ...args }, new Holder("thing"));
    });
}

interface Statement {
    Sid: string;
    Principal: { AWS?: string; Service?: string };
    Action: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}
const statementsOf = (rec: Recorded): Statement[] =>
    JSON.parse(rec.ofType("aws:kms/key:Key")[0].props.policy as string).Statement;

describe("createKmsKey", () => {
    it("creates a rotating key with a 30-day deletion window, parented to the component", async () => {
        const rec = await key();
        const [k] = rec.ofType("aws:kms/key:Key");
        const [holder] = rec.ofType("test:index:Holder");
        expect(k.props).to.include({
            description: "Encrypts the thing",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
        });
        expect(k.parent).to.equal(holder.urn);
        expect(k.options).to.include({ protect: false, retainOnDelete: false });
    });

    it("lets the account administer the key through IAM, and nobody else by default", async () => {
        const statements = statementsOf(await key());
        expect(statements).to.have.length(1);
        expect(statements[0]).to.deep.include({
            Principal: { AWS: "arn:aws:iam::123456789012:root" },
            Action: "kms:*",
        });
    });

    it("grants listed services encrypt/decrypt, conditioned on this account", async () => {
        const statements = statementsOf(
            await key({ servicePrincipals: ["cloudfront.amazonaws.com", "events.amazonaws.com"] }),
        );
        const services = statements.filter((s) => s.Principal.Service);
        expect(services.map((s) => s.Sid)).to.deep.equal(["ServiceUsecloudfront", "ServiceUseevents"]);
        for (const s of services) {
            expect(s.Condition?.StringEquals?.["aws:SourceAccount"], `${s.Sid} aws:SourceAccount`).to.equal(
                "123456789012",
            );
        }
    });

    it("narrows a service's grant to the named resources (AWS:SourceArn) when given, keeping the others account-wide", async () => {
        const statements = statementsOf(
            await key({
                servicePrincipals: ["cloudfront.amazonaws.com", "events.amazonaws.com"],
                serviceSourceArns: {
                    "cloudfront.amazonaws.com": ["arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"],
                },
            }),
        );
        const cloudfront = statements.find((s) => s.Sid === "ServiceUsecloudfront");
        const events = statements.find((s) => s.Sid === "ServiceUseevents");
        expect(cloudfront?.Condition, "cloudfront").to.deep.equal({
            StringEquals: { "AWS:SourceArn": ["arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"] },
        });
        expect(events?.Condition, "events").to.deep.equal({ StringEquals: { "aws:SourceAccount": "123456789012" } });
    });

    it("rejects source ARNs for a service it does not grant, or an empty list, naming serviceSourceArns", () => {
        const holder = {} as pulumi.Resource;
        expect(() =>
            createKmsKey(
                "k",
                {
                    description: "d",
                    serviceSourceArns: { "cloudfront.amazonaws.com": ["arn:aws:cloudfront::1:distribution/E"] },
                },
                holder,
            ),
        ).to.throw(/^KmsKey "k": args\.serviceSourceArns names "cloudfront\.amazonaws\.com"/);
        expect(() =>
            createKmsKey(
                "k",
                {
                    description: "d",
                    servicePrincipals: ["cloudfront.amazonaws.com"],
                    serviceSourceArns: { "cloudfront.amazonaws.com": [] },
                },
                holder,
            ),
        ).to.throw(/^KmsKey "k": args\.serviceSourceArns lists no ARN/);
    });

    it("lets CloudWatch Logs of this region use the key for the named log groups of this account only", async () => {
        const logs = statementsOf(await key({ cloudWatchLogGroupNames: ["/aws/rds/instance/db/*", "/app/api"] })).find(
            (s) => s.Sid === "CloudWatchLogsEncryptsLogGroups",
        );
        expect(logs?.Principal.Service).to.equal("logs.us-east-1.amazonaws.com");
        expect(logs?.Condition?.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.deep.equal([
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/db/*",
            "arn:aws:logs:us-east-1:123456789012:log-group:/app/api",
        ]);
    });

    it("builds the CloudWatch Logs principal from the partition's DNS suffix (China: amazonaws.com.cn)", () => {
        expect(cloudWatchLogsPrincipal("us-east-1", "amazonaws.com")).to.equal("logs.us-east-1.amazonaws.com");
        expect(cloudWatchLogsPrincipal("cn-north-1", "amazonaws.com.cn")).to.equal("logs.cn-north-1.amazonaws.com.cn");
    });

    it("names an alias per stack and protects the key when asked", async () => {
        const rec = await key({ protect: true, region: "us-west-2" });
        const [k] = rec.ofType("aws:kms/key:Key");
        const [alias] = rec.ofType("aws:kms/alias:Alias");
        expect(k.options).to.include({ protect: true, retainOnDelete: true });
        expect(k.props.region).to.equal("us-west-2");
        expect(alias.props).to.include({ name: "alias/groundwork-test-thing-key", region: "us-west-2" });
        expect(alias.propertyDependencies.targetKeyId).to.deep.equal([k.urn]);
    });

    it("rejects a bad deletion window or service principal, naming the arg", () => {
        const holder = {} as pulumi.Resource;
        expect(() => createKmsKey("k", { description: "d", deletionWindowInDays: 3 }, holder)).to.throw(
            /^KmsKey "k": args\.deletionWindowInDays is 3/,
        );
        expect(() => createKmsKey("k", { description: "d", servicePrincipals: ["*"] }, holder)).to.throw(
            /^KmsKey "k": args\.servicePrincipals has "\*"/,
        );
    });

    it("derives stack-scoped physical names within AWS limits", async () => {
        await run(() => {
            expect(stackScopedName("Database_Main", 63)).to.equal("groundwork-test-database-main");
            expect(stackScopedName("x".repeat(80), 40)).to.have.length(40);
        });
    });
});
