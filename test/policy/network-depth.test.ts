import { expect } from "chai";
import type { PlannedResource } from "../../tools/plan-types";
import {
    decided,
    evaluate,
    expectClean,
    expectDeferred,
    expectViolation,
    goodDbProps,
    goodRedisProps,
    link,
    res,
    T,
    U,
} from "./fixtures";

const N = {
    route: "aws:ec2/route:Route",
    table: "aws:ec2/routeTable:RouteTable",
    assoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    igw: "aws:ec2/internetGateway:InternetGateway",
    nat: "aws:ec2/natGateway:NatGateway",
    acl: "aws:ec2/networkAcl:NetworkAcl",
    aclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
};

/** A VPC with an isolated subnet pair holding a database and a cache; `extra` changes one thing. */
function dataTier() {
    const vpc = res(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" });
    const igw = link(res(N.igw, "igw", { vpcId: U }), "vpcId", vpc);
    const subnet = (name: string, cidr: string) =>
        link(res(T.subnet, name, { vpcId: U, cidrBlock: cidr, mapPublicIpOnLaunch: false }), "vpcId", vpc);
    const pub = subnet("public-1", "10.0.1.0/24");
    const iso1 = subnet("isolated-1", "10.0.100.0/24");
    const iso2 = subnet("isolated-2", "10.0.110.0/24");
    const pubTable = link(res(N.table, "public", { vpcId: U }), "vpcId", vpc);
    const isoTable = link(res(N.table, "isolated", { vpcId: U }), "vpcId", vpc);
    const internet = link(
        link(
            res(N.route, "public-internet", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", gatewayId: U }),
            "routeTableId",
            pubTable,
        ),
        "gatewayId",
        igw,
    );
    const assoc = (name: string, s: PlannedResource, t: PlannedResource) =>
        link(link(res(N.assoc, name, { subnetId: U, routeTableId: U }), "subnetId", s), "routeTableId", t);
    const acl = link(
        res(N.acl, "isolated-acl", {
            vpcId: U,
            subnetIds: [U, U],
            ingress: [
                { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "10.0.0.0/16" },
            ],
            egress: [
                { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "10.0.0.0/16" },
            ],
        }),
        "subnetIds",
        iso1,
        iso2,
    );
    const dbGroup = link(res(T.rdsSubnetGroup, "db-subnets", { subnetIds: [U, U] }), "subnetIds", iso1, iso2);
    const cacheGroup = link(res(T.cacheSubnetGroup, "cache-subnets", { subnetIds: [U, U] }), "subnetIds", iso1, iso2);
    const db = link(res(T.rds, "db", goodDbProps()), "dbSubnetGroupName", dbGroup);
    const cache = link(res(T.redis, "cache", goodRedisProps()), "subnetGroupName", cacheGroup);
    const all = [
        vpc,
        igw,
        pub,
        iso1,
        iso2,
        pubTable,
        isoTable,
        internet,
        assoc("a-public", pub, pubTable),
        assoc("a-iso-1", iso1, isoTable),
        assoc("a-iso-2", iso2, isoTable),
        acl,
        dbGroup,
        cacheGroup,
        db,
        cache,
    ];
    return { vpc, igw, pub, iso1, iso2, pubTable, isoTable, acl, dbGroup, cacheGroup, db, cache, all, assoc };
}

describe("policy family: network, decided by facts", () => {
    describe("net-sg-ingress: the world is any public source", () => {
        const rule = (cidr: string, extra: Record<string, unknown> = {}) =>
            res(T.sg, "app-sg", {
                ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [cidr], ...extra }],
            });

        it("passes private sources (RFC 1918, RFC 6598, ULA)", () => {
            for (const cidr of ["10.0.0.0/16", "172.16.0.0/12", "100.64.0.0/10"]) {
                expectClean(evaluate([rule(cidr)]), "net-sg-ingress");
            }
            expectClean(
                evaluate([
                    res(T.sg, "v6", {
                        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["fd12::/48"] }],
                    }),
                ]),
                "net-sg-ingress",
            );
        });

        it("flags halves of the internet and single public addresses, IPv4 and IPv6", () => {
            for (const cidr of ["0.0.0.0/1", "128.0.0.0/1", "203.0.113.10/32"]) {
                expectViolation(evaluate([rule(cidr)]), "net-sg-ingress", "22/SSH");
            }
            const v6 = res(T.sg, "v6", {
                ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/1"] }],
            });
            expectViolation(evaluate([v6]), "net-sg-ingress", "to the world");
            const standalone = res(T.ingressRule, "ssh", {
                securityGroupId: U,
                ipProtocol: "tcp",
                fromPort: 22,
                toPort: 22,
                cidrIpv4: "128.0.0.0/1",
            });
            expectViolation(evaluate([standalone]), "net-sg-ingress", "to the world");
        });

        it("lets a trusted public range through only when configured", () => {
            const sg = rule("198.51.100.0/28");
            expectViolation(evaluate([sg]), "net-sg-ingress", "to the world");
            expectClean(evaluate([sg], { "net-sg-ingress": { trustedCidrs: ["198.51.100.0/24"] } }), "net-sg-ingress");
        });

        it("defers an unknown CIDR", () => {
            expectDeferred(evaluate([rule(U)]), "net-sg-ingress", "CIDRs");
        });
    });

    describe("net-default-sg-rules (mandatory)", () => {
        it("passes an adopted, empty default group", () => {
            const vpc = res(T.vpc, "vpc", {});
            const d = link(res(T.defaultSg, "default", { vpcId: U, ingress: [], egress: [] }), "vpcId", vpc);
            expectClean(evaluate([vpc, d]), "net-default-sg-rules");
        });

        it("flags inline rules and a rule resource attached to vpc.defaultSecurityGroupId", () => {
            const vpc = res(T.vpc, "vpc", {});
            const d = link(
                res(T.defaultSg, "default", {
                    vpcId: U,
                    ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
                }),
                "vpcId",
                vpc,
            );
            const egress = link(
                res(N.egressRule, "out", { securityGroupId: U, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }),
                "securityGroupId",
                vpc,
            );
            const report = evaluate([vpc, d, egress]);
            expect(expectViolation(report, "net-default-sg-rules", "1 ingress rule", d.urn).enforcementLevel).to.equal(
                "mandatory",
            );
            expectViolation(report, "net-default-sg-rules", "default security group of vpc", egress.urn);
        });

        it("defers unknown inline rules", () => {
            const d = res(T.defaultSg, "default", { vpcId: U, ingress: U, egress: [] });
            expectDeferred(evaluate([d]), "net-default-sg-rules", "default.ingress");
        });
    });

    describe("net-db-subnets-private: tiers come from routes", () => {
        it("passes data stores in subnets without a way out (our Vpc's shape)", () => {
            expectClean(evaluate(dataTier().all), "net-db-subnets-private");
        });

        it("flags an isolated-tagged subnet whose table gains a NAT route", () => {
            const t = dataTier();
            const nat = res(N.nat, "nat", { subnetId: U });
            const out = link(
                link(
                    res(N.route, "iso-egress", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", natGatewayId: U }),
                    "routeTableId",
                    t.isoTable,
                ),
                "natGatewayId",
                nat,
            );
            const report = evaluate([...t.all, nat, out]);
            expectViolation(report, "net-db-subnets-private", "private: route iso-egress (NAT gateway)", t.db.urn);
            expectViolation(report, "net-db-subnets-private", "holds isolated-1", t.cache.urn);
        });

        it("flags a group holding a subnet routed to the internet gateway, whatever its tags say", () => {
            const t = dataTier();
            const group = link(res(T.rdsSubnetGroup, "mixed", { subnetIds: [U, U] }), "subnetIds", t.iso1, t.pub);
            const db = link(res(T.rds, "db2", goodDbProps()), "dbSubnetGroupName", group);
            expectViolation(
                evaluate([...t.all, group, db]),
                "net-db-subnets-private",
                "public: route public-internet",
                db.urn,
            );
        });

        it("reads inline routes and literal gateway ids", () => {
            const t = dataTier();
            const table = link(
                res(N.table, "legacy", { vpcId: U, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-0abc" }] }),
                "vpcId",
                t.vpc,
            );
            const s = link(res(T.subnet, "legacy-1", { vpcId: U, mapPublicIpOnLaunch: false }), "vpcId", t.vpc);
            const group = link(res(T.cacheSubnetGroup, "legacy-group", { subnetIds: [U] }), "subnetIds", s);
            const cache = link(res(T.redis, "cache2", goodRedisProps()), "subnetGroupName", group);
            const report = evaluate([...t.all, table, s, t.assoc("a-legacy", s, table), group, cache]);
            expectViolation(report, "net-db-subnets-private", "internet gateway", cache.urn);
        });

        it("defers a route whose gateway is unknown and not in this stack", () => {
            const t = dataTier();
            const out = link(
                res(N.route, "mystery", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", gatewayId: U }),
                "routeTableId",
                t.isoTable,
            );
            expectDeferred(evaluate([...t.all, out]), "net-db-subnets-private", "route mystery");
        });
    });

    describe("net-isolated-nacl", () => {
        it("passes an isolated ACL that admits only the VPC", () => {
            expectClean(evaluate(dataTier().all), "net-isolated-nacl");
        });

        it("flags an isolated ACL admitting the internet, inline or as a rule resource", () => {
            const t = dataTier();
            (t.acl.props.ingress as unknown[]).push({
                ruleNo: 200,
                action: "allow",
                protocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrBlock: "0.0.0.0/0",
            });
            const v6 = link(
                res(N.aclRule, "v6", {
                    networkAclId: U,
                    egress: false,
                    ruleAction: "allow",
                    ruleNumber: 300,
                    protocol: "-1",
                    ipv6CidrBlock: "::/0",
                }),
                "networkAclId",
                t.acl,
            );
            const report = evaluate([...t.all, v6]);
            expectViolation(report, "net-isolated-nacl", 'admits "0.0.0.0/0"', t.acl.urn);
            expectViolation(report, "net-isolated-nacl", 'admits "::/0" (v6)', t.acl.urn);
        });

        it("ignores an allow shadowed by a lower-numbered deny, and ACLs of routable subnets", () => {
            const t = dataTier();
            t.acl.props.ingress = [
                { ruleNo: 50, action: "deny", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" },
                { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" },
            ];
            const pubAcl = link(
                res(N.acl, "public-acl", {
                    vpcId: U,
                    subnetIds: [U],
                    ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0" }],
                }),
                "subnetIds",
                t.pub,
            );
            expectClean(evaluate([...t.all, pubAcl]), "net-isolated-nacl");
        });

        it('leaves egress rule resources out of the ingress check, whether egress is true or "true"', () => {
            const t = dataTier();
            const egress = [true, "true", "True"].map((value, i) =>
                link(
                    res(N.aclRule, `out-${i}`, {
                        networkAclId: U,
                        egress: value,
                        ruleAction: "allow",
                        ruleNumber: 100 + i,
                        protocol: "-1",
                        cidrBlock: "0.0.0.0/0",
                    }),
                    "networkAclId",
                    t.acl,
                ),
            );
            expectClean(evaluate([...t.all, ...egress]), "net-isolated-nacl");
        });

        it("defers an unknown CIDR", () => {
            const t = dataTier();
            (t.acl.props.ingress as unknown[]).push({ ruleNo: 200, action: "allow", protocol: "-1", cidrBlock: U });
            expectDeferred(evaluate(t.all), "net-isolated-nacl", "CIDR");
            expect(decided(evaluate(t.all), "net-isolated-nacl")).to.deep.equal([]);
        });
    });
});
