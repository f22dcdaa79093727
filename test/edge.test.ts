import { expect } from "chai";
import { PlannedResource } from "../tools/plan-types";
import { Recorded, runIndex, stackConfig } from "./helpers";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";

/** The logical name of the security group a rule's `field` refers to, by its Output edge. */
function groupOf(rec: Recorded, rule: PlannedResource, field: string): string | undefined {
    const urns = rule.propertyDependencies[field] ?? [];
    const groups = urns.map((urn) => rec.byUrn(urn)).filter((r) => r?.type === SECURITY_GROUP);
    return groups.length === 1 ? groups[0]!.name : undefined;
}

/** Every way into every security group of the stack, as `source → group:port`. */
function ingressEdges(rec: Recorded): string[] {
    for (const group of rec.ofType(SECURITY_GROUP)) {
        // Inline rules would hide from this walk (and fight the rule resources).
        expect(group.props.ingress ?? [], group.name).to.deep.equal([]);
    }
    expect(rec.ofType("aws:ec2/securityGroupRule:SecurityGroupRule")).to.deep.equal([]);
    return rec
        .ofType(INGRESS)
        .map((rule) => {
            const target = groupOf(rec, rule, "securityGroupId");
            const source =
                groupOf(rec, rule, "referencedSecurityGroupId") ??
                (rule.props.prefixListId !== undefined ? "cloudfront-prefix-list" : undefined) ??
                String(rule.props.cidrIpv4 ?? rule.props.cidrIpv6);
            return `${source} → ${target}:${String(rule.props.fromPort)}`;
        })
        .sort();
}

describe("the edge, end to end (whole stack)", () => {
    let prod: Recorded;
    let dev: Recorded;
    before(async () => {
        prod = await runIndex("prod", stackConfig("prod"));
        dev = await runIndex("dev", stackConfig("dev"));
    });

    it("prod: CloudFront → load balancer → api → data stores, and no other way into any security group", () => {
        expect(ingressEdges(prod)).to.deep.equal([
            "app → cache-sg:6379",
            "app → database-sg:5432",
            "cloudfront-prefix-list → web-sg:443",
            "web-sg → api-sg:4000",
        ]);
        // CloudFront's origin-facing list, looked up by its AWS-managed name.
        const rule = prod.ofType(INGRESS).find((r) => r.props.prefixListId !== undefined)!;
        expect(rule.props).to.include({ ipProtocol: "tcp", toPort: 443 });
    });

    it("prod: Route 53 names the site and API after CloudFront and the origin after the load balancer", () => {
        const records = prod.ofType("aws:route53/record:Record").filter((r) => r.props.aliases !== undefined);
        const names = records.map((r) => `${String(r.props.name)} ${String(r.props.type)}`).sort();
        expect(names).to.deep.equal([
            "api.example.com A",
            "api.example.com AAAA",
            "app.example.com A",
            "app.example.com AAAA",
            // The Cognito login domain (Auth), an alias of Cognito's own distribution.
            "auth.example.com A",
            "origin.example.com A",
        ]);
        const distribution = prod.one("aws:cloudfront/distribution:Distribution", "cdn");
        expect(distribution.props.aliases).to.deep.equal(["app.example.com", "api.example.com"]);
        expect(distribution.props.webAclId).to.be.a("string");
    });

    it("prod: the load balancer's certificate is regional, CloudFront's is in us-east-1", () => {
        const certificates = prod.ofType("aws:acm/certificate:Certificate");
        const byName = Object.fromEntries(certificates.map((c) => [c.name, c.props.region]));
        expect(byName).to.deep.equal({ "dns-certificate": undefined, "dns-cdn-certificate": "us-east-1" });
        const https = prod.ofType("aws:lb/listener:Listener").find((l) => l.props.port === 443)!;
        expect(https.propertyDependencies.certificateArn?.length).to.be.greaterThan(0);
    });

    it("prod: only the routed service takes a target group; the others accept no inbound traffic", () => {
        const services = prod.ofType("aws:ecs/service:Service");
        const routed = services.filter((s) => ((s.props.loadBalancers as unknown[] | undefined) ?? []).length > 0);
        expect(routed.map((s) => s.name)).to.deep.equal(["api"]);
        expect(services.map((s) => s.name)).to.have.members(["api", "worker", "scheduler", "notifier"]);
    });

    it("dev without a zone: no DNS or certificates, CloudFront's own name, and uploads allow that origin", async () => {
        expect(dev.ofType("aws:acm/certificate:Certificate")).to.deep.equal([]);
        expect(dev.ofType("aws:route53/record:Record")).to.deep.equal([]);
        const distribution = dev.one("aws:cloudfront/distribution:Distribution", "cdn");
        expect(distribution.props.viewerCertificate).to.deep.include({ cloudfrontDefaultCertificate: true });
        expect(dev.ofType("aws:wafv2/webAcl:WebAcl")).to.deep.equal([]);
        const cors = dev.one("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "uploads-cors");
        const origins = (cors.props.corsRules as { allowedOrigins: string[] }[])[0].allowedOrigins;
        expect(origins).to.have.length(1);
        expect(origins[0]).to.match(/^https:\/\/[a-z0-9]+\.cloudfront\.net$/);
        expect(dev.outputs.siteUrl).to.equal(origins[0]);
    });

    it("internal: the load balancer in the private subnets, reached only through a CloudFront VPC origin", async () => {
        const internal = await runIndex("prod", stackConfig("prod", { edge: { albScheme: "internal" } }));
        const alb = internal.one("aws:lb/loadBalancer:LoadBalancer", "web");
        expect(alb.props.internal).to.equal(true);
        const privateSubnets = internal.ofType("aws:ec2/subnet:Subnet").filter((s) => s.name.includes("private"));
        expect(alb.propertyDependencies.subnets).to.have.members(privateSubnets.map((s) => s.urn));
        const [origin] = internal.ofType("aws:cloudfront/vpcOrigin:VpcOrigin");
        expect(origin.propertyDependencies.vpcOriginEndpointConfig ?? []).to.include(alb.urn);
        expect(ingressEdges(internal)).to.include("cloudfront-prefix-list → web-sg:443");
        expect(ingressEdges(internal).filter((e) => e.includes("0.0.0.0/0"))).to.deep.equal([]);
    });

    it("prod: uploads allow the site's origin", () => {
        const cors = prod.one("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "uploads-cors");
        expect((cors.props.corsRules as { allowedOrigins: string[] }[])[0].allowedOrigins).to.deep.equal([
            "https://app.example.com",
        ]);
    });
});
