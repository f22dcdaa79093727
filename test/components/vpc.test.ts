import { expect } from "chai";
import * as fc from "fast-check";
import { Monitoring } from "../../components/monitoring";
import {
    defaultSubnetLayout,
    overlaps,
    parseIpv4Cidr,
    contains,
    validateSubnetLayout,
    SubnetLayoutError,
} from "../../components/subnets";
import {
    AL2023_ARM64_AMI_PARAMETER,
    NAT_INSTANCE_USER_DATA,
    Vpc,
    VpcArgs,
    normalizeVpcArgs,
    s3GatewayServiceName,
} from "../../components/vpc";
import { PlannedResource } from "../../tools/plan-types";
import { Recorded, promiseOf, run } from "../helpers";

const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";
const ROUTE = "aws:ec2/route:Route";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";

async function vpc(args: VpcArgs = {}, withAlarms = false): Promise<Recorded> {
    return run(() => {
        const monitoring = withAlarms
            ? new Monitoring("mon", { region: "us-east-1", alarmEmails: ["ops@example.com"] })
            : undefined;
        new Vpc("net", {
            ...args,
            alarmTopicArn: monitoring?.alarmTopicArn,
            criticalAlarmTopicArn: monitoring?.criticalAlarmTopicArn,
        });
    });
}

function tierOf(subnet: PlannedResource): string {
    return (subnet.props.tags as Record<string, string>).tier;
}

describe("Vpc", () => {
    it("creates a public, a private and an isolated subnet in each of two AZs with the reference CIDRs", async () => {
        const rec = await vpc({ availabilityZones: ["us-east-1a", "us-east-1b"] });
        const subnets = rec.ofType(SUBNET);
        expect(subnets).to.have.length(6);
        const byTier = (tier: string) =>
            subnets.filter((s) => tierOf(s) === tier).map((s) => [s.props.cidrBlock, s.props.availabilityZone]);
        expect(byTier("public")).to.deep.equal([
            ["10.0.1.0/24", "us-east-1a"],
            ["10.0.2.0/24", "us-east-1b"],
        ]);
        expect(byTier("private")).to.deep.equal([
            ["10.0.10.0/24", "us-east-1a"],
            ["10.0.20.0/24", "us-east-1b"],
        ]);
        expect(byTier("isolated")).to.deep.equal([
            ["10.0.100.0/24", "us-east-1a"],
            ["10.0.110.0/24", "us-east-1b"],
        ]);
        for (const s of subnets) {
            expect(s.props.mapPublicIpOnLaunch, `${s.name}.mapPublicIpOnLaunch`).to.equal(false);
        }
    });

    it("spreads subnets over the region's available AZs when no names are given", async () => {
        const rec = await vpc({ azCount: 3 });
        const azs = rec
            .ofType(SUBNET)
            .filter((s) => tierOf(s) === "private")
            .map((s) => s.props.availabilityZone);
        expect(azs).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c"]);
    });

    it("exposes subnet IDs per tier as a plain list of outputs, one per AZ in AZ order", async () => {
        let created: Vpc | undefined;
        await run(() => {
            created = new Vpc("net", { azCount: 3 });
        });
        for (const tier of ["public", "private", "isolated"] as const) {
            const ids = await Promise.all(created!.subnetIds[tier].map((id) => promiseOf(id)));
            const subnetIds = await Promise.all(created!.nodes.subnets[tier].map((s) => promiseOf(s.id)));
            expect(ids, tier).to.have.length(3);
            ids.forEach((id, i) =>
                expect(id, `${tier}[${i}]`)
                    .to.equal(subnetIds[i])
                    .and.match(/^subnet-/),
            );
            expect(await promiseOf(created![`${tier}SubnetIds`]), `${tier}SubnetIds agrees`).to.deep.equal(ids);
        }
    });

    it("enables DNS support and hostnames on the VPC", async () => {
        const rec = await vpc();
        const [v] = rec.ofType("aws:ec2/vpc:Vpc");
        expect(v.props).to.include({ cidrBlock: "10.0.0.0/16", enableDnsSupport: true, enableDnsHostnames: true });
    });

    it("has one NAT gateway per AZ with perAz, and each private table routes to its own AZ's NAT", async () => {
        const rec = await vpc({ natGateways: "perAz" });
        const nats = rec.ofType(NAT);
        expect(nats).to.have.length(2);
        const publicSubnets = rec.ofType(SUBNET).filter((s) => tierOf(s) === "public");
        expect(nats.map((n) => n.propertyDependencies.subnetId)).to.deep.equal(publicSubnets.map((s) => [s.urn]));
        const egress = rec.ofType(ROUTE).filter((r) => r.name.includes("private"));
        expect(egress.map((r) => r.propertyDependencies.natGatewayId)).to.deep.equal(nats.map((n) => [n.urn]));
    });

    it("has a single NAT gateway shared by every private table with single", async () => {
        const rec = await vpc({ natGateways: "single" });
        const nats = rec.ofType(NAT);
        expect(nats).to.have.length(1);
        const egress = rec.ofType(ROUTE).filter((r) => r.name.includes("private"));
        expect(egress).to.have.length(2);
        for (const r of egress) {
            expect(r.propertyDependencies.natGatewayId?.[0], `${r.name}.natGatewayId`).to.equal(nats[0].urn);
        }
    });

    it("has no NAT gateway and no private egress route with none", async () => {
        const rec = await vpc({ natGateways: "none" });
        expect(rec.ofType(NAT)).to.have.length(0);
        expect(rec.ofType("aws:ec2/eip:Eip")).to.have.length(0);
        expect(rec.ofType(ROUTE).filter((r) => r.name.includes("private"))).to.have.length(0);
    });

    describe("with a NAT instance", () => {
        const INSTANCE = "aws:ec2/instance:Instance";
        let rec: Recorded;
        let created: Vpc | undefined;
        before(async () => {
            rec = await run(() => {
                const monitoring = new Monitoring("mon", { region: "us-east-1", alarmEmails: ["ops@example.com"] });
                created = new Vpc("net", {
                    natGateways: "instance",
                    alarmTopicArn: monitoring.alarmTopicArn,
                    criticalAlarmTopicArn: monitoring.criticalAlarmTopicArn,
                });
            });
        });

        it("runs one instance instead of NAT gateways and their addresses", () => {
            expect(rec.ofType(NAT)).to.have.length(0);
            expect(rec.ofType("aws:ec2/eip:Eip")).to.have.length(0);
            expect(rec.ofType(INSTANCE)).to.have.length(1);
        });

        it("routes every private table's default route to the instance's primary network interface", () => {
            const [instance] = rec.ofType(INSTANCE);
            const egress = rec.ofType(ROUTE).filter((r) => r.name.includes("private"));
            expect(egress).to.have.length(2);
            for (const r of egress) {
                expect(r.props.destinationCidrBlock).to.equal("0.0.0.0/0");
                expect(r.props.networkInterfaceId, r.name).to.match(/^eni-/);
                expect(r.propertyDependencies.networkInterfaceId).to.deep.equal([instance.urn]);
                expect(r.props.natGatewayId).to.equal(undefined);
            }
        });

        it("sits in the first public subnet with a public IP and forwards (source/destination check off)", () => {
            const [instance] = rec.ofType(INSTANCE);
            const [firstPublic] = rec.ofType(SUBNET).filter((s) => tierOf(s) === "public");
            expect(instance.propertyDependencies.subnetId).to.deep.equal([firstPublic.urn]);
            expect(instance.props).to.include({
                associatePublicIpAddress: true,
                sourceDestCheck: false,
                instanceType: "t4g.nano",
                userDataReplaceOnChange: true,
            });
            expect(instance.props.keyName).to.equal(undefined);
        });

        it("requires IMDSv2, encrypts its root volume and recovers from host failures", () => {
            const [instance] = rec.ofType(INSTANCE);
            expect(instance.props.metadataOptions).to.include({ httpTokens: "required", httpEndpoint: "enabled" });
            expect(instance.props.rootBlockDevice).to.include({ encrypted: true, volumeType: "gp3", volumeSize: 8 });
            expect(instance.props.maintenanceOptions).to.deep.equal({ autoRecovery: "default" });
        });

        it("boots only once its public subnet has a route to the internet (its boot script installs packages)", () => {
            const [instance] = rec.ofType(INSTANCE);
            const route = rec.one(ROUTE, "net-public-internet");
            const association = rec.one(ASSOCIATION, "net-public-1");
            expect(instance.dependencies).to.include.members([route.urn, association.urn]);
        });

        it("boots the arm64 Amazon Linux 2023 AMI looked up from AWS's public parameter, then ignores new AMIs", () => {
            const [instance] = rec.ofType(INSTANCE);
            expect(AL2023_ARM64_AMI_PARAMETER).to.equal(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
            );
            expect(instance.props.ami).to.match(/^ami-[0-9a-f]{17}$/);
            expect(instance.options.ignoreChanges).to.deep.equal(["ami"]);
        });

        it("turns on IP forwarding and masquerades what leaves by the default route, persistently", () => {
            const [instance] = rec.ofType(INSTANCE);
            expect(instance.props.userData).to.equal(NAT_INSTANCE_USER_DATA);
            const lines = NAT_INSTANCE_USER_DATA.split("\n");
            expect(lines[0]).to.equal("#!/bin/bash");
            expect(lines).to.include('echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/90-nat.conf');
            expect(lines).to.include('iptables -t nat -A POSTROUTING -o "$iface" -j MASQUERADE');
            expect(lines).to.include("iptables-save > /etc/sysconfig/iptables");
            expect(lines).to.include("systemctl enable --now iptables");
        });

        it("admits HTTPS from the VPC's CIDR only, and lets HTTPS out", () => {
            const [instance] = rec.ofType(INSTANCE);
            const group = rec.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "net-nat-instance")!;
            expect(instance.propertyDependencies.vpcSecurityGroupIds).to.deep.equal([group.urn]);
            const ingress = rec
                .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                .filter((r) => r.propertyDependencies.securityGroupId?.includes(group.urn));
            expect(ingress.map((r) => r.props)).to.deep.equal([
                {
                    securityGroupId: ingress[0].props.securityGroupId,
                    description: "HTTPS the private subnets send out, from the VPC's own CIDR only",
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: "10.0.0.0/16",
                },
            ]);
            const egress = rec
                .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
                .filter((r) => r.propertyDependencies.securityGroupId?.includes(group.urn));
            expect(egress.map((r) => [r.props.fromPort, r.props.toPort, r.props.cidrIpv4])).to.deep.equal([
                [443, 443, "0.0.0.0/0"],
            ]);
        });

        it("is reached through Session Manager: an instance profile whose role has the SSM core policy, no key pair", () => {
            const [instance] = rec.ofType(INSTANCE);
            const profile = rec.ofType("aws:iam/instanceProfile:InstanceProfile")[0];
            expect(instance.propertyDependencies.iamInstanceProfile).to.deep.equal([profile.urn]);
            const [attachment] = rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
            expect(attachment.props.policyArn).to.equal("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
            const role = rec.ofType("aws:iam/role:Role").find((r) => r.name === "net-nat-instance")!;
            const trust = JSON.parse(role.props.assumeRolePolicy as string) as {
                Statement: { Principal: { Service: string } }[];
            };
            expect(trust.Statement.map((st) => st.Principal.Service)).to.deep.equal(["ec2.amazonaws.com"]);
            expect(instance.dependencies).to.include(attachment.urn);
        });

        it("alarms (critical) when the instance fails its status checks, linked to it, on the critical route", () => {
            const [instance] = rec.ofType(INSTANCE);
            const alarms = rec.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
            expect(alarms).to.have.length(1);
            expect(alarms[0].props).to.include({ namespace: "AWS/EC2", metricName: "StatusCheckFailed" });
            expect(alarms[0].props.alarmDescription).to.match(/^\[critical\]/);
            expect(alarms[0].propertyDependencies.dimensions).to.deep.equal([instance.urn]);
            const critical = rec.one("aws:sns/topic:Topic", "mon-critical-alarms");
            expect(alarms[0].propertyDependencies.alarmActions).to.deep.equal([critical.urn]);
            // A stopped instance publishes nothing: missing data must alarm.
            expect(alarms[0].props.treatMissingData).to.equal("breaching");
        });

        it("exports the instance's ID and no NAT gateway IDs", async () => {
            const id = await promiseOf(created!.nodes.natInstance!.instance.id);
            expect(id).to.match(/^i-/);
            expect(await promiseOf(created!.natInstanceIds)).to.deep.equal([id]);
            expect(await promiseOf(created!.natGatewayIds)).to.deep.equal([]);
        });
    });

    it("creates the asked interface endpoints in every private subnet with private DNS, behind HTTPS from the VPC", async () => {
        let created: Vpc | undefined;
        const rec = await run(() => {
            created = new Vpc("net", { interfaceEndpoints: ["ecr.api", "logs"] });
        });
        const endpoints = rec
            .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
            .filter((e) => e.props.vpcEndpointType === "Interface");
        expect(endpoints.map((e) => e.props.serviceName)).to.deep.equal([
            "com.amazonaws.us-east-1.ecr.api",
            "com.amazonaws.us-east-1.logs",
        ]);
        const privateSubnets = rec.ofType(SUBNET).filter((s) => tierOf(s) === "private");
        const group = rec.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "net-endpoints")!;
        for (const e of endpoints) {
            expect(e.props.privateDnsEnabled, e.name).to.equal(true);
            expect(e.propertyDependencies.subnetIds).to.have.members(privateSubnets.map((s) => s.urn));
            expect(e.propertyDependencies.securityGroupIds).to.deep.equal([group.urn]);
        }
        const rules = rec
            .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => r.propertyDependencies.securityGroupId?.includes(group.urn));
        expect(
            rules.map((r) => [r.props.ipProtocol, r.props.fromPort, r.props.toPort, r.props.cidrIpv4]),
        ).to.deep.equal([["tcp", 443, 443, "10.0.0.0/16"]]);
        expect(Object.keys(created!.interfaceEndpointIds)).to.deep.equal(["ecr.api", "logs"]);
        expect(await promiseOf(created!.interfaceEndpointIds["logs"])).to.match(/^vpce-/);
    });

    it("creates no interface endpoint and no endpoint group by default", async () => {
        const rec = await vpc();
        expect(rec.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.props.vpcEndpointType)).to.deep.equal([
            "Gateway",
        ]);
        expect(rec.ofType("aws:ec2/securityGroup:SecurityGroup").map((g) => g.name)).to.not.include("net-endpoints");
        expect(rec.ofType("aws:ec2/instance:Instance")).to.have.length(0);
    });

    it("gives isolated subnets a route table with no route to the internet gateway or a NAT", async () => {
        const rec = await vpc({ natGateways: "perAz" });
        const isolatedTable = rec
            .ofType(ROUTE_TABLE)
            .find((t) => (t.props.tags as Record<string, string>).tier === "isolated")!;
        expect(isolatedTable, "isolated route table").to.not.equal(undefined);
        const routesOfTable = rec
            .ofType(ROUTE)
            .filter((r) => r.propertyDependencies.routeTableId?.includes(isolatedTable.urn));
        expect(routesOfTable).to.deep.equal([]);
        expect(isolatedTable.props.routes ?? []).to.deep.equal([]);
        const isolatedSubnets = rec
            .ofType(SUBNET)
            .filter((s) => tierOf(s) === "isolated")
            .map((s) => s.urn);
        const associations = rec
            .ofType(ASSOCIATION)
            .filter((a) => isolatedSubnets.includes(a.propertyDependencies.subnetId[0]));
        expect(associations).to.have.length(2);
        for (const a of associations) {
            expect(a.propertyDependencies.routeTableId?.[0], `${a.name}.routeTableId`).to.equal(isolatedTable.urn);
        }
        // The S3 gateway endpoint is attached to private tables only.
        const [endpoint] = rec.ofType("aws:ec2/vpcEndpoint:VpcEndpoint");
        expect(endpoint.propertyDependencies.routeTableIds).to.not.include(isolatedTable.urn);
    });

    it("routes the public table to the internet gateway", async () => {
        const rec = await vpc();
        const [igw] = rec.ofType("aws:ec2/internetGateway:InternetGateway");
        const publicRoute = rec.named("net-public-internet");
        expect(publicRoute.props.destinationCidrBlock).to.equal("0.0.0.0/0");
        expect(publicRoute.propertyDependencies.gatewayId).to.deep.equal([igw.urn]);
    });

    it("sends flow logs to a log group with the given retention through a scoped role", async () => {
        const rec = await vpc({ flowLogRetentionDays: 90 });
        const [flowLog] = rec.ofType("aws:ec2/flowLog:FlowLog");
        const [group] = rec.ofType("aws:cloudwatch/logGroup:LogGroup");
        const [v] = rec.ofType("aws:ec2/vpc:Vpc");
        expect(group.props.retentionInDays).to.equal(90);
        expect(flowLog.props).to.include({ trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
        expect(flowLog.propertyDependencies.vpcId).to.deep.equal([v.urn]);
        expect(flowLog.propertyDependencies.logDestination).to.deep.equal([group.urn]);
        const policy = JSON.parse(rec.ofType("aws:iam/rolePolicy:RolePolicy")[0].props.policy as string);
        const resources: string[] = policy.Statement[0].Resource;
        expect(resources).to.have.length(2);
        for (const r of resources) {
            expect(r, "flow-log role policy resource").to.satisfy((arn: string) =>
                arn.startsWith(
                    "arn:aws:logs:us-east-1:123456789012:log-group:/groundwork/vpc-flow-logs/groundwork-test-net",
                ),
            );
        }
        expect(resources).to.not.include("*");
    });

    it("puts the flow-log role under the given permissions boundary, and under none by default", async () => {
        const boundary = "arn:aws:iam::123456789012:policy/groundwork-test-boundary";
        const bounded = (await vpc({ permissionsBoundaryArn: boundary })).one("aws:iam/role:Role", "net-flow-logs");
        expect(bounded.props.permissionsBoundary).to.equal(boundary);
        // The stack's IAM path, where a bounded deploy role may manage it.
        expect(bounded.props.path).to.equal("/groundwork/test/");
        const plain = (await vpc()).one("aws:iam/role:Role", "net-flow-logs");
        expect(plain.props).not.to.have.property("permissionsBoundary");
    });

    it("creates the flow log only after its role's policy, so delivery never starts without permission", async () => {
        const rec = await vpc();
        const [flowLog] = rec.ofType("aws:ec2/flowLog:FlowLog");
        const rolePolicy = rec.one("aws:iam/rolePolicy:RolePolicy", "net-flow-logs");
        const role = rec.one("aws:iam/role:Role", "net-flow-logs");
        expect(rolePolicy.propertyDependencies.role, "the policy is attached to the flow log's role").to.deep.equal([
            role.urn,
        ]);
        expect(flowLog.propertyDependencies.iamRoleArn, "the flow log uses that role").to.deep.equal([role.urn]);
        expect(flowLog.dependencies, "the flow log waits for the role's policy").to.include(rolePolicy.urn);
    });

    it("encrypts the flow-log group with its own key, granted to CloudWatch Logs for that group only", async () => {
        const rec = await vpc({ protect: true });
        const [group] = rec.ofType("aws:cloudwatch/logGroup:LogGroup");
        const key = rec.one("aws:kms/key:Key", "net-flow-logs-key");
        expect(group.propertyDependencies.kmsKeyId).to.deep.equal([key.urn]);
        expect(key.options).to.include({ protect: true, retainOnDelete: true });
        const grant = JSON.parse(key.props.policy as string).Statement.find(
            (s: { Sid: string }) => s.Sid === "CloudWatchLogsEncryptsLogGroups",
        );
        expect(grant.Principal.Service).to.equal("logs.us-east-1.amazonaws.com");
        expect(grant.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.deep.equal([
            `arn:aws:logs:us-east-1:123456789012:log-group:${group.props.name as string}`,
        ]);
        const unencrypted = await vpc({ encryptFlowLogs: false });
        expect(unencrypted.ofType("aws:kms/key:Key")).to.deep.equal([]);
    });

    it("names the S3 gateway endpoint's service from the partition's reverse DNS prefix", async () => {
        const rec = await vpc();
        expect(rec.one("aws:ec2/vpcEndpoint:VpcEndpoint", "net-s3").props.serviceName).to.equal(
            "com.amazonaws.us-east-1.s3",
        );
        expect(s3GatewayServiceName("cn.com.amazonaws", "cn-north-1"), "China").to.equal(
            "cn.com.amazonaws.cn-north-1.s3",
        );
    });

    it("strips every rule from the default security group", async () => {
        const rec = await vpc();
        const [sg] = rec.ofType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        expect(sg.props.ingress).to.deep.equal([]);
        expect(sg.props.egress).to.deep.equal([]);
    });

    it("puts a network ACL on the isolated subnets that admits only the VPC's own CIDR", async () => {
        const rec = await vpc({ cidrBlock: "10.8.0.0/16" });
        const [acl] = rec.ofType("aws:ec2/networkAcl:NetworkAcl");
        const isolated = rec
            .ofType(SUBNET)
            .filter((s) => tierOf(s) === "isolated")
            .map((s) => s.urn);
        expect(acl.propertyDependencies.subnetIds).to.have.members(isolated);
        for (const rule of [
            ...(acl.props.ingress as Record<string, unknown>[]),
            ...(acl.props.egress as Record<string, unknown>[]),
        ]) {
            expect(rule).to.include({ cidrBlock: "10.8.0.0/16", action: "allow" });
        }
    });

    it("alarms on NAT port allocation errors and dropped packets, linked to each NAT and notifying the topic of each severity", async () => {
        const rec = await vpc({ natGateways: "perAz" }, true);
        const topics = {
            critical: rec.one("aws:sns/topic:Topic", "mon-critical-alarms"),
            warning: rec.one("aws:sns/topic:Topic", "mon-alarms"),
        };
        const nats = rec.ofType(NAT);
        expect(nats).to.have.length(2);
        const alarms = rec.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(alarms).to.have.length(4);
        for (const nat of nats) {
            const linked = alarms.filter((a) => a.propertyDependencies.dimensions?.includes(nat.urn));
            expect(linked.map((a) => a.props.metricName)).to.have.members(["ErrorPortAllocation", "PacketsDropCount"]);
        }
        for (const alarm of alarms) {
            const topic = topics[(alarm.props.tags as { severity: "critical" | "warning" }).severity];
            expect(alarm.propertyDependencies.alarmActions).to.deep.equal([topic.urn]);
            expect(alarm.propertyDependencies.okActions).to.deep.equal([topic.urn]);
            expect(alarm.props.actionsEnabled).to.equal(true);
        }
    });

    it("parents every child to the component and derives child names from its name", async () => {
        const rec = await vpc();
        const [component] = rec.ofType("groundwork:index:Vpc");
        const children = rec.resources.filter((r) => r.parent === component.urn);
        expect(children.length).to.be.greaterThan(20);
        for (const c of children) {
            expect(c.name, `${c.type} ${c.name}`).to.match(/^net/);
        }
    });

    it("rejects bad args with an error naming the argument", () => {
        expect(() => normalizeVpcArgs("net", { natGateways: "many" })).to.throw(
            /args\.natGateways .*none, single, perAz, instance/,
        );
        expect(() => normalizeVpcArgs("net", { azCount: 9 })).to.throw(/args\.azCount/);
        expect(() =>
            normalizeVpcArgs("net", {
                cidrBlock: "10.0.0.0/16",
                privateSubnetCidrs: ["10.1.0.0/24", "10.1.1.0/24"],
                publicSubnetCidrs: ["10.0.1.0/24", "10.0.2.0/24"],
                isolatedSubnetCidrs: ["10.0.3.0/24", "10.0.4.0/24"],
            }),
        ).to.throw(/args\.privateSubnetCidrs\[0\] .*not inside/);
        expect(() => normalizeVpcArgs("net", { flowLogTrafficType: "SOME" })).to.throw(/args\.flowLogTrafficType/);
        expect(() => normalizeVpcArgs("net", { natGateways: "instance", natInstanceType: "t3.nano" })).to.throw(
            /args\.natInstanceType "t3\.nano" is not a Graviton/,
        );
        expect(() => normalizeVpcArgs("net", { interfaceEndpoints: ["logs", "ecr"] })).to.throw(
            /args\.interfaceEndpoints\[1\] "ecr" is not a known endpoint service; use one of ecr\.api, ecr\.dkr/,
        );
        expect(() => normalizeVpcArgs("net", { interfaceEndpoints: ["logs", "logs"] })).to.throw(
            /args\.interfaceEndpoints\[1\] logs is listed twice/,
        );
    });
});

describe("subnet layout", () => {
    it("derives the reference layout from a /16", () => {
        expect(defaultSubnetLayout("10.0.0.0/16", 2)).to.deep.equal({
            public: ["10.0.1.0/24", "10.0.2.0/24"],
            private: ["10.0.10.0/24", "10.0.20.0/24"],
            isolated: ["10.0.100.0/24", "10.0.110.0/24"],
        });
    });

    it("rejects host bits, bad prefixes and garbage as CIDRs", () => {
        for (const bad of ["10.0.0.1/16", "10.0.0.0/33", "300.0.0.0/16", "10.0.0.0", "ten/8", ""]) {
            expect(parseIpv4Cidr(bad), bad).to.equal(undefined);
        }
        expect(parseIpv4Cidr("10.0.0.0/16")).to.include({ prefix: 16 });
    });

    it("names the overlapping subnet", () => {
        const layout = {
            public: ["10.0.1.0/24", "10.0.2.0/24"],
            private: ["10.0.2.0/25", "10.0.20.0/24"],
            isolated: ["10.0.100.0/24", "10.0.110.0/24"],
        };
        expect(() => validateSubnetLayout("10.0.0.0/16", 2, layout)).to.throw(
            SubnetLayoutError,
            /overlaps subnets\.public\[1\]/,
        );
    });

    it("always lies inside the VPC without overlaps, for any /16-/18 VPC and 2-6 AZs (property)", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 255 }),
                fc.integer({ min: 0, max: 255 }),
                fc.integer({ min: 16, max: 18 }),
                fc.integer({ min: 2, max: 6 }),
                (a, b, prefix, azs) => {
                    const start = ((a * 256 + b) >>> (32 - prefix - 16)) << (32 - prefix - 16);
                    const cidr = `${Math.floor(start / 256)}.${start % 256}.0.0/${prefix}`;
                    const layout = defaultSubnetLayout(cidr, azs);
                    validateSubnetLayout(cidr, azs, layout);
                    const vpcBlock = parseIpv4Cidr(cidr)!;
                    const cidrs = [...layout.public, ...layout.private, ...layout.isolated];
                    expect(cidrs, `${cidr} with ${azs} AZs`).to.have.length(3 * azs);
                    const all = cidrs.map((c) => parseIpv4Cidr(c)!);
                    all.forEach((s, i) => expect(contains(vpcBlock, s), `${cidrs[i]} inside ${cidr}`).to.equal(true));
                    all.forEach((s, i) => all.slice(i + 1).forEach((t) => expect(overlaps(s, t)).to.equal(false)));
                },
            ),
        );
    });
});
