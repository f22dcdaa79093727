import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { PlannedResource, runProgram } from "groundwork/testing";
import { checkPolicies, formatPolicyReport, PolicyReport } from "groundwork/testing/policy";
import { alarmTopic, createPlatform } from "../platform";

// Groundwork's policy pack over this project's own program, offline: runProgram() records what the
// engine would receive, checkPolicies() hands it to the pack's rules as `pulumi preview --policy-pack`
// would. Needs @pulumi/policy (a devDependency here; an optional peer of groundwork).

const REGION = "eu-west-1";

async function plan(program: () => void): Promise<PlannedResource[]> {
    const { resources } = await runProgram({
        project: "consumer",
        stack: "dev",
        config: { "aws:region": REGION },
        program,
    });
    return resources;
}

function mandatory(report: PolicyReport) {
    return report.violations.filter((v) => v.enforcementLevel === "mandatory");
}

describe("the platform under Groundwork's policy pack (groundwork/testing/policy)", () => {
    it("has no mandatory violation with Groundwork's dev policy config", async () => {
        const resources = await plan(() => {
            createPlatform("shop", { alarmTopicArn: alarmTopic("shop").arn });
        });
        const report = checkPolicies(resources, { config: "dev" });
        // Read from the installed package, not from this project's working directory.
        assert.strictEqual(report.config, "groundwork policy/dev.json");
        assert.ok(report.policies.length > 50, "the whole pack ran");
        assert.deepStrictEqual(mandatory(report), [], formatPolicyReport(report));
    });

    it("flags a database security group opened to the world on 5432 as mandatory", async () => {
        const resources = await plan(() => {
            const platform = createPlatform("shop", { alarmTopicArn: alarmTopic("shop").arn });
            new aws.vpc.SecurityGroupIngressRule("shop-db-from-anywhere", {
                securityGroupId: platform.database.securityGroupId,
                ipProtocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrIpv4: "0.0.0.0/0",
            });
        });
        const report = checkPolicies(resources, { config: "dev" });
        const flagged = mandatory(report).filter((v) => v.urn?.endsWith("::shop-db-from-anywhere"));
        assert.deepStrictEqual(flagged.map((v) => v.policyName).sort(), ["net-sg-db-from-sg", "net-sg-ingress"]);
        assert.match(formatPolicyReport(report), /mandatory:[\s\S]*net-sg-ingress/);
    });

    it("flags an alarm topic under the AWS-managed SNS key, which CloudWatch cannot publish to", async () => {
        const resources = await plan(() => {
            const topic = new aws.sns.Topic("shop-alarms", { kmsMasterKeyId: "alias/aws/sns" });
            createPlatform("shop", { alarmTopicArn: topic.arn });
        });
        const flagged = mandatory(checkPolicies(resources, { config: "dev" }));
        assert.deepStrictEqual(
            flagged.map((v) => `${v.policyName} ${v.urn?.split("::").pop()}`),
            ["enc-cmk-managed shop-alarms"],
        );
    });
});
