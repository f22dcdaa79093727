import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { buildDiagram, parseDiagramArgs, renderMermaid, stackDiagram } from "../tools/diagram";
import { PlannedResource } from "../tools/plan-types";
import { ROOT } from "./helpers";

const STACK = "urn:pulumi:test::groundwork::pulumi:pulumi:Stack::groundwork-test";

/** A hand-made planned resource: `parent` is a resource made here (or the stack). */
function res(
    type: string,
    name: string,
    parent: PlannedResource | undefined,
    props: Record<string, unknown> = {},
    propertyDependencies: Record<string, PlannedResource[]> = {},
): PlannedResource {
    return {
        urn: `urn:pulumi:test::groundwork::${type}::${name}`,
        type,
        name,
        parent: parent?.urn ?? STACK,
        custom: !type.startsWith("groundwork:"),
        props,
        options: {
            protect: false,
            retainOnDelete: false,
            ignoreChanges: [],
            deleteBeforeReplace: false,
            aliases: [],
            additionalSecretOutputs: [],
            replaceOnChanges: [],
            customTimeouts: {},
        },
        dependencies: [],
        propertyDependencies: Object.fromEntries(
            Object.entries(propertyDependencies).map(([key, list]) => [key, list.map((r) => r.urn)]),
        ),
    };
}

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** A VPC with a public and a private subnet, a load balancer in front of one service, and a CDN. */
function smallStack(): PlannedResource[] {
    const vpc = res("groundwork:index:Vpc", "net", undefined);
    const awsVpc = res("aws:ec2/vpc:Vpc", "net", vpc, { cidrBlock: "10.1.0.0/16" });
    const pub = res("aws:ec2/subnet:Subnet", "net-public-1", vpc, { tags: { tier: "public" } }, { vpcId: [awsVpc] });
    const priv = res("aws:ec2/subnet:Subnet", "net-private-1", vpc, { tags: { tier: "private" } }, { vpcId: [awsVpc] });
    const lbc = res("groundwork:index:LoadBalancer", "web", undefined);
    const lbSg = res(SG, "web-sg", lbc);
    const lb = res(
        "aws:lb/loadBalancer:LoadBalancer",
        "web",
        lbc,
        { internal: false },
        { subnets: [pub], securityGroups: [lbSg] },
    );
    const svc = res("groundwork:index:FargateService", "api", undefined);
    const svcSg = res(SG, "api-sg", svc);
    const service = res("aws:ecs/service:Service", "api", svc, {}, { networkConfiguration: [priv, svcSg] });
    const cdnc = res("groundwork:index:Cdn", "cdn", undefined);
    const distribution = res("aws:cloudfront/distribution:Distribution", "cdn", cdnc, {}, { origins: [lb] });
    return [
        vpc,
        awsVpc,
        pub,
        priv,
        lbc,
        lbSg,
        lb,
        svc,
        svcSg,
        service,
        cdnc,
        distribution,
        // The chain: the load balancer's group may reach the service's on 4000.
        res(
            INGRESS,
            "api-from-web",
            lbc,
            { fromPort: 4000, toPort: 4000, ipProtocol: "tcp" },
            {
                securityGroupId: [svcSg],
                referencedSecurityGroupId: [lbSg],
            },
        ),
        // CloudFront's prefix list into the load balancer.
        res(
            INGRESS,
            "web-from-cloudfront",
            lbc,
            { fromPort: 443, toPort: 443, ipProtocol: "tcp", prefixListId: "pl-1" },
            {
                securityGroupId: [lbSg],
            },
        ),
        // An egress rule opens nothing inbound: it must not draw an edge the other way.
        res(
            EGRESS,
            "api-to-web",
            svc,
            { fromPort: 8080, toPort: 8080, ipProtocol: "tcp" },
            {
                securityGroupId: [svcSg],
                referencedSecurityGroupId: [lbSg],
            },
        ),
    ];
}

describe("diagram", () => {
    it("draws the security-group chain from ingress rules, owner to owner, with the port", () => {
        const text = renderMermaid(buildDiagram(smallStack()));
        expect(text).to.include('loadbalancer_web -->|"4000/tcp"| fargateservice_api');
        // The prefix-list rule and the CDN's origin merge into one edge.
        expect(text).to.include('cdn_cdn -->|"443/tcp, origin"| loadbalancer_web');
    });

    it("draws no edge for an egress rule", () => {
        const { edges } = buildDiagram(smallStack());
        expect(edges.filter((e) => e.from === "fargateservice_api")).to.deep.equal([]);
        expect(edges.some((e) => e.labels.includes("8080/tcp"))).to.equal(false);
    });

    it("places components in the tier of their subnets, inside the VPC", () => {
        const { nodes, groups } = buildDiagram(smallStack());
        const groupOf = (id: string) => nodes.find((n) => n.id === id)?.group;
        expect(groupOf("loadbalancer_web")).to.equal("vpc_net_public");
        expect(groupOf("fargateservice_api")).to.equal("vpc_net_private");
        expect(groupOf("cdn_cdn")).to.equal(undefined);
        expect(groups.find((g) => g.id === "vpc_net")?.label).to.equal("VPC net 10.1.0.0/16");
        // The VPC is its subgraph, not a node as well.
        expect(nodes.map((n) => n.id)).to.not.include("vpc_net");
    });

    it("is the same text whatever order the plan lists resources in", () => {
        const resources = smallStack();
        expect(renderMermaid(buildDiagram([...resources].reverse()))).to.equal(renderMermaid(buildDiagram(resources)));
    });

    it("requires --stack", () => {
        expect(() => parseDiagramArgs([])).to.throw("--stack is required");
        expect(parseDiagramArgs(["--stack", "prod"])).to.deep.equal({ stack: "prod" });
    });

    describe("prod", () => {
        let prod: string;
        before(async () => {
            prod = await stackDiagram("prod");
        });

        it("the README carries the prod diagram exactly as generated", () => {
            const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
            const match = /<!-- diagram:start -->\n```mermaid\n([\s\S]*?)```\n<!-- diagram:end -->/.exec(readme);
            expect(match, "diagram markers").to.not.equal(null);
            expect(match![1]).to.equal(prod);
        });

        it("shows CloudFront → load balancer → api → data stores, and stays readable", () => {
            expect(prod).to.include('cdn_cdn -->|"443/tcp, origin"| loadbalancer_web');
            expect(prod).to.include('loadbalancer_web -->|"4000/tcp"| fargateservice_api');
            expect(prod).to.include('appsecuritygroup_app -->|"5432/tcp"| database_database');
            expect(prod).to.include('appsecuritygroup_app -->|"6379/tcp"| cache_cache');
            // S3 server access logging, from each logged bucket to the log bucket.
            expect(prod).to.include('bucket_uploads -->|"access logs"| accesslogbucket_access_logs');
            expect(prod).to.include('bucket_assets -->|"access logs"| accesslogbucket_access_logs');
            const nodeCount = prod.split("\n").filter((line) => /^\s+[a-z0-9_]+[[(]/.test(line)).length;
            expect(nodeCount).to.be.within(15, 30);
        });
    });
});
