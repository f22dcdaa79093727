import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { Vpc } from "../../components/vpc";
import { createMocks } from "../../tools/mocks";

/**
 * The components in the China partition. The shared mocks answer as the `aws` partition does, so
 * this file wraps them to answer `getPartition` as AWS does in `cn-north-1` and records the inputs
 * each resource is created with.
 */
async function inChina(program: () => void, expected: string[]): Promise<Map<string, Record<string, unknown>>> {
    const region = "cn-north-1";
    const base = createMocks(region);
    const inputs = new Map<string, Record<string, unknown>>();
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                inputs.set(`${args.type}::${args.name}`, args.inputs as Record<string, unknown>);
                return base.newResource(args);
            },
            call(args) {
                if (args.token === "aws:index/getPartition:getPartition") {
                    return {
                        partition: "aws-cn",
                        dnsSuffix: "amazonaws.com.cn",
                        reverseDnsPrefix: "cn.com.amazonaws",
                        id: "aws-cn",
                    };
                }
                return base.call(args);
            },
        },
        "groundwork",
        "china",
        true,
    );
    pulumi.runtime.setAllConfig({ "aws:region": region });
    program();
    // Registrations reach the mocks asynchronously, once their inputs resolve.
    for (let waited = 0; expected.some((k) => !inputs.has(k)) && waited < 10_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return inputs;
}

describe("China partition (aws-cn)", () => {
    let recorded: Map<string, Record<string, unknown>>;
    before(async () => {
        recorded = await inChina(() => {
            new Vpc("net", { availabilityZones: ["cn-north-1a", "cn-north-1b"], natGateways: "none" });
        }, [
            "aws:kms/key:Key::net-flow-logs-key",
            "aws:ec2/vpcEndpoint:VpcEndpoint::net-s3",
            "aws:iam/role:Role::net-flow-logs",
        ]);
    });

    it("grants the flow-log key to CloudWatch Logs under the partition's DNS suffix", () => {
        const key = recorded.get("aws:kms/key:Key::net-flow-logs-key");
        expect(key, "the flow-log key").to.not.equal(undefined);
        const statements = JSON.parse(key!.policy as string).Statement as {
            Sid: string;
            Principal: Record<string, string>;
            Condition?: Record<string, Record<string, string[]>>;
        }[];
        const logs = statements.find((s) => s.Sid === "CloudWatchLogsEncryptsLogGroups");
        expect(logs?.Principal.Service, "regional Logs principal").to.equal("logs.cn-north-1.amazonaws.com.cn");
        expect(logs?.Condition?.ArnLike["kms:EncryptionContext:aws:logs:arn"][0], "log group ARN").to.match(
            /^arn:aws-cn:logs:cn-north-1:/,
        );
        const admin = statements.find((s) => s.Sid === "AccountAdministersThroughIam");
        expect(admin?.Principal.AWS, "account root").to.match(/^arn:aws-cn:iam::/);
    });

    it("names the S3 gateway endpoint's service with the partition's reverse DNS prefix", () => {
        expect(recorded.get("aws:ec2/vpcEndpoint:VpcEndpoint::net-s3")?.serviceName).to.equal(
            "cn.com.amazonaws.cn-north-1.s3",
        );
    });

    it("keeps vpc-flow-logs.amazonaws.com as the flow-log role's principal (the same in China)", () => {
        const role = recorded.get("aws:iam/role:Role::net-flow-logs");
        const [trust] = JSON.parse(role!.assumeRolePolicy as string).Statement as { Principal: { Service: string } }[];
        expect(trust.Principal.Service).to.equal("vpc-flow-logs.amazonaws.com");
    });
});
