import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AppSecurityGroup } from "../../components/app-security-group";
import { ROLE_TAG, createDataStoreSecurityGroup } from "../../components/internal/security-groups";
import { Recorded, promiseOf, run } from "../helpers";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

class Store extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Store", name, {}, {});
    }
}

describe("AppSecurityGroup", () => {
    it("is tagged as the app tier, has no inline rules and no ingress, and egresses only HTTPS", async () => {
        let app: AppSecurityGroup | undefined;
        const rec = await run(() => {
            app = new AppSecurityGroup("app", { vpcId: "vpc-0123" });
        });
        const [sg] = rec.ofType(SG);
        expect(sg.props.vpcId).to.equal("vpc-0123");
        expect(sg.props).not.to.have.any.keys("ingress", "egress");
        expect((sg.props.tags as Record<string, string>)[ROLE_TAG]).to.equal("app");
        expect(rec.ofType(INGRESS)).to.deep.equal([]);
        const [https] = rec.ofType(EGRESS);
        expect(https.props).to.include({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
        expect(https.propertyDependencies.securityGroupId).to.deep.equal([sg.urn]);
        expect(await promiseOf(app!.securityGroupId)).to.match(/^sg-/);
    });

    it("can leave out the HTTPS egress", async () => {
        const rec = await run(() => new AppSecurityGroup("app", { vpcId: "vpc-0123", httpsEgress: false }));
        expect(rec.ofType(EGRESS)).to.deep.equal([]);
    });
});

describe("createDataStoreSecurityGroup", () => {
    async function store(clients: string[]): Promise<Recorded> {
        return run(() => {
            createDataStoreSecurityGroup(
                "db",
                {
                    vpcId: "vpc-0123",
                    port: 5432,
                    clientSecurityGroupIds: clients,
                    role: "database",
                    description: "PostgreSQL db",
                },
                new Store("db"),
            );
        });
    }

    it("admits the port from each client group by reference, never by CIDR, and has no egress of its own", async () => {
        const rec = await store(["sg-api", "sg-worker"]);
        const [sg] = rec.ofType(SG);
        expect((sg.props.tags as Record<string, string>)[ROLE_TAG]).to.equal("database");
        const ingress = rec.ofType(INGRESS);
        expect(ingress.map((r) => r.props.referencedSecurityGroupId)).to.have.members(["sg-api", "sg-worker"]);
        for (const rule of ingress) {
            expect(rule.props).to.include({ ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
            expect(rule.props).not.to.have.any.keys("cidrIpv4", "cidrIpv6", "prefixListId");
            expect(rule.propertyDependencies.securityGroupId).to.deep.equal([sg.urn]);
        }
        const egress = rec.ofType(EGRESS);
        expect(egress.filter((r) => r.propertyDependencies.securityGroupId?.includes(sg.urn))).to.deep.equal([]);
    });

    it("gives each client group the matching egress to the store only", async () => {
        const rec = await store(["sg-api"]);
        const [sg] = rec.ofType(SG);
        const [egress] = rec.ofType(EGRESS);
        expect(egress.props).to.include({ securityGroupId: "sg-api", fromPort: 5432, toPort: 5432, ipProtocol: "tcp" });
        expect(egress.propertyDependencies.referencedSecurityGroupId).to.deep.equal([sg.urn]);
        expect(egress.props).not.to.have.any.keys("cidrIpv4", "cidrIpv6");
    });

    it("admits nobody without client groups", async () => {
        const rec = await store([]);
        expect(rec.ofType(INGRESS)).to.deep.equal([]);
        expect(rec.ofType(EGRESS)).to.deep.equal([]);
    });
});
