import { expect } from "chai";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import * as ssm from "@pulumi/aws/ssm";
import {
    AliasRecords,
    AliasRecordsArgs,
    CLOUDFRONT_CERTIFICATE_REGION,
    Dns,
    DnsArgs,
    certificateNames,
    dnsNameProblem,
    normalizeAliasRecordsArgs,
    normalizeDnsArgs,
    normalizeDnsName,
    validationRecordPlan,
} from "../../components/dns";
import { runProgram } from "../../tools/harness";
import { createMocks } from "../../tools/mocks";
import { UNKNOWN_SENTINEL } from "../../tools/plan-types";
import { Recorded, promiseOf, run } from "../helpers";

const ZONE = "aws:route53/zone:Zone";
const RECORD = "aws:route53/record:Record";
const CERT = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";

async function dns(
    args: Partial<DnsArgs> = {},
    region = "us-east-1",
): Promise<{ rec: Recorded; dns: Dns; probe: () => ReturnType<Recorded["one"]> }> {
    let created: Dns | undefined;
    const rec = await run(
        () => {
            created = new Dns("dns", { zoneName: "example.com", ...args });
            // A consumer of the exported ARNs, as a listener or distribution would be.
            new ssm.Parameter("probe", {
                type: "StringList",
                value: pulumi.interpolate`${created.certificateArn},${created.cdnCertificateArn}`,
            });
        },
        "test",
        { "aws:region": region },
    );
    return { rec, dns: created!, probe: () => rec.one("aws:ssm/parameter:Parameter", "probe") };
}

/** What the offline account's Route 53 answers for a public zone of this name. */
function lookedUpZoneId(name: string): string {
    const answer = createMocks("us-east-1").call({
        token: "aws:route53/getZone:getZone",
        inputs: { name, privateZone: false },
        provider: "",
    }) as Record<string, unknown>;
    return answer.zoneId as string;
}

const origin = (rec: Recorded) => rec.one(CERT, "dns-certificate");
const cdn = (rec: Recorded) => rec.one(CERT, "dns-cdn-certificate");

describe("Dns names", () => {
    it("accepts host names and refuses what is not one, saying why", () => {
        for (const ok of ["example.com", "app.example.com", "a-b.example.co.uk", "x1.example.io"]) {
            expect(dnsNameProblem(ok), ok).to.equal(undefined);
        }
        const bad: [string, RegExp][] = [
            ["example", /at least two labels/],
            ["-app.example.com", /label "-app"/],
            ["app-.example.com", /label "app-"/],
            ["a..example.com", /label ""/],
            ["*.example.com", /label "\*"/],
            ["_acme.example.com", /label "_acme"/],
            ["exa mple.com", /label "exa mple"/],
            ["10.0.0.1", /IP address/],
            [`${"a".repeat(64)}.example.com`, /1-63/],
            [`${"a.".repeat(127)}com`, /at most 253/],
        ];
        for (const [name, why] of bad) {
            expect(dnsNameProblem(name), name).to.match(why);
        }
    });

    it("normalizes case and the root's trailing dot", () => {
        expect(normalizeDnsName(" App.Example.COM. ")).to.equal("app.example.com");
    });

    it("accepts any name built from valid labels, and none with a character outside a-z0-9-", () => {
        const label = fc
            .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/)
            .filter((l) => l.length <= 63 && !/^[0-9]+$/.test(l));
        fc.assert(
            fc.property(fc.array(label, { minLength: 2, maxLength: 5 }), (labels) => {
                expect(dnsNameProblem(labels.join("."))).to.equal(undefined);
            }),
        );
        fc.assert(
            fc.property(
                fc.array(label, { minLength: 2, maxLength: 5 }),
                fc.constantFrom("_", "*", " ", "/", "é", "@"),
                fc.nat(),
                (labels, char, at) => {
                    const i = at % labels.length;
                    labels[i] = `${labels[i]}${char}`;
                    expect(dnsNameProblem(labels.join("."))).to.be.a("string");
                },
            ),
        );
    });

    it("gives each certificate its names once, the first as the Common Name", () => {
        expect(certificateNames(["o.example.com", "app.example.com", "app.example.com"])).to.deep.equal({
            domainName: "o.example.com",
            subjectAlternativeNames: ["app.example.com"],
        });
    });

    it("plans one validation record per distinct name, from the first certificate that has it", () => {
        const plan = validationRecordPlan({
            origin: certificateNames(["origin.example.com", "app.example.com", "api.example.com"]),
            cdn: certificateNames(["app.example.com", "api.example.com", "www.example.com"]),
        });
        expect(plan).to.deep.equal([
            { domain: "origin.example.com", certificate: "origin" },
            { domain: "app.example.com", certificate: "origin" },
            { domain: "api.example.com", certificate: "origin" },
            { domain: "www.example.com", certificate: "cdn" },
        ]);
    });
});

describe("Dns args", () => {
    const fails = (args: Partial<DnsArgs>, arg: string, why: RegExp) =>
        expect(() => normalizeDnsArgs("dns", { zoneName: "example.com", ...args }), arg)
            .to.throw(new RegExp(`^Dns "dns": args\\.${arg} `))
            .with.property("message")
            .that.matches(why);

    it("derives app., api. and origin. names in the zone, RSA 2048, no zone of its own", () => {
        const cfg = normalizeDnsArgs("dns", { zoneName: "Example.com." });
        expect(cfg).to.deep.include({
            zoneName: "example.com",
            siteName: "app.example.com",
            apiName: "api.example.com",
            originName: "origin.example.com",
            createZone: false,
            keyAlgorithm: "RSA_2048",
            protect: false,
        });
    });

    it("refuses a zone name that is not a DNS name", () => {
        fails({ zoneName: "example" }, "zoneName", /at least two labels/);
        fails({ zoneName: "exa_mple.com" }, "zoneName", /"exa_mple"/);
        fails({ zoneName: undefined as unknown as string }, "zoneName", /is required/);
    });

    it("refuses names outside the zone, or not DNS names", () => {
        fails({ siteName: "app.example.org" }, "siteName", /not in the zone example\.com/);
        fails({ apiName: "api.notexample.com" }, "apiName", /not in the zone/);
        fails({ originName: "origin.other.com" }, "originName", /not in the zone/);
        fails({ siteName: "*.example.com" }, "siteName", /label "\*"/);
    });

    it("accepts the apex and one host for site and API", () => {
        const cfg = normalizeDnsArgs("dns", {
            zoneName: "example.com",
            siteName: "example.com",
            apiName: "example.com",
        });
        expect(cfg.certificates).to.deep.equal({
            origin: { domainName: "origin.example.com", subjectAlternativeNames: ["example.com"] },
            cdn: { domainName: "example.com", subjectAlternativeNames: [] },
        });
    });

    it("adds extra CloudFront names (a login domain) to the us-east-1 certificate only, inside the zone", () => {
        const cfg = normalizeDnsArgs("dns", { zoneName: "example.com", extraCdnNames: ["auth.example.com"] });
        expect(cfg.certificates.cdn.subjectAlternativeNames).to.deep.equal(["api.example.com", "auth.example.com"]);
        expect(cfg.certificates.origin.subjectAlternativeNames).to.not.include("auth.example.com");
        expect(() =>
            normalizeDnsArgs("dns", { zoneName: "example.com", extraCdnNames: ["auth.example.org"] }),
        ).to.throw(/args\.extraCdnNames\[0\] is "auth\.example\.org", which is not in the zone/);
    });

    it("keeps the origin name apart from the names that point at CloudFront", () => {
        fails({ originName: "app.example.com" }, "originName", /same as siteName/);
        fails({ originName: "api.example.com" }, "originName", /same as apiName/);
    });

    it("refuses a Common Name over 64 characters, which ACM would reject", () => {
        const long = `${"a".repeat(60)}.example.com`;
        fails({ siteName: long }, "siteName", /Common Name.*64/);
        fails({ originName: long }, "originName", /Common Name.*64/);
        // A SAN may be longer.
        expect(normalizeDnsArgs("dns", { zoneName: "example.com", apiName: long }).apiName).to.equal(long);
    });

    it("takes only key algorithms both CloudFront and the ALB accept", () => {
        fails({ keyAlgorithm: "EC_secp384r1" as "RSA_2048" }, "keyAlgorithm", /RSA_2048, EC_prime256v1/);
        expect(
            normalizeDnsArgs("dns", { zoneName: "example.com", keyAlgorithm: "EC_prime256v1" }).keyAlgorithm,
        ).to.equal("EC_prime256v1");
    });
});

describe("Dns", () => {
    it("looks up the public zone by name and creates none", async () => {
        const { rec, dns: created } = await dns();
        expect(rec.ofType(ZONE)).to.deep.equal([]);
        expect(await promiseOf(created.zoneId)).to.equal(lookedUpZoneId("example.com"));
        expect(created.nameServers).to.equal(undefined);
        expect(created.nodes.zone).to.equal(undefined);
    });

    it("creates the zone when asked, protected with the stack, and exports its name servers", async () => {
        const { rec, dns: created } = await dns({ createZone: true, protect: true });
        const zone = rec.one(ZONE, "dns-zone");
        expect(zone.props).to.include({ name: "example.com", forceDestroy: false });
        expect(zone.options).to.include({ protect: true, retainOnDelete: true });
        expect(await promiseOf(created.nameServers!)).to.have.length(4);
        for (const record of rec.ofType(RECORD)) {
            expect(record.propertyDependencies.zoneId, record.name).to.deep.equal([zone.urn]);
        }
        const unprotected = await dns({ createZone: true });
        expect(unprotected.rec.one(ZONE, "dns-zone").options).to.include({ protect: false, retainOnDelete: false });
    });

    it("issues the ALB's certificate in the stack's region and CloudFront's in us-east-1, without a second provider", async () => {
        const { rec, dns: created } = await dns({}, "eu-west-1");
        expect(origin(rec).props).not.to.have.property("region");
        expect(cdn(rec).props.region).to.equal(CLOUDFRONT_CERTIFICATE_REGION);
        expect(rec.one(VALIDATION, "dns-certificate-validation").props).not.to.have.property("region");
        expect(rec.one(VALIDATION, "dns-cdn-certificate-validation").props.region).to.equal("us-east-1");
        for (const r of [...rec.ofType(CERT), ...rec.ofType(VALIDATION)]) {
            expect(r.options.provider ?? "", r.name).not.to.match(/us-east-1/);
        }
        expect(await promiseOf(created.certificateArn)).to.match(/^arn:aws:acm:eu-west-1:/);
        expect(await promiseOf(created.cdnCertificateArn)).to.match(/^arn:aws:acm:us-east-1:/);
    });

    it("covers the origin, site and API names on the ALB, the site and API on CloudFront", async () => {
        const { rec } = await dns({ siteName: "www.example.com" });
        expect(origin(rec).props).to.deep.include({
            domainName: "origin.example.com",
            subjectAlternativeNames: ["www.example.com", "api.example.com"],
        });
        expect(cdn(rec).props).to.deep.include({
            domainName: "www.example.com",
            subjectAlternativeNames: ["api.example.com"],
        });
    });

    it("requests DNS-validated, transparency-logged certificates with the chosen key", async () => {
        const { rec } = await dns({ keyAlgorithm: "EC_prime256v1" });
        for (const cert of rec.ofType(CERT)) {
            expect(cert.props, cert.name).to.deep.include({
                validationMethod: "DNS",
                keyAlgorithm: "EC_prime256v1",
                options: { certificateTransparencyLoggingPreference: "ENABLED" },
            });
        }
        expect(origin((await dns()).rec).props.keyAlgorithm).to.equal("RSA_2048");
    });

    it("writes one validation record per name, shared by both certificates, in the zone", async () => {
        const { rec, dns: created } = await dns();
        const records = rec.ofType(RECORD);
        expect(records.map((r) => r.name)).to.deep.equal([
            "dns-validation-origin.example.com",
            "dns-validation-app.example.com",
            "dns-validation-api.example.com",
        ]);
        const zoneId = await promiseOf(created.zoneId);
        const options = [
            ...(await promiseOf(created.nodes.certificate.domainValidationOptions)),
            ...(await promiseOf(created.nodes.cdnCertificate.domainValidationOptions)),
        ];
        for (const record of records) {
            const domain = record.name.replace("dns-validation-", "");
            const asked = options.filter((o) => o.domainName === domain);
            // Both certificates ask for the same record where they share a name.
            expect(new Set(asked.map((o) => `${o.resourceRecordName} ${o.resourceRecordValue}`)).size).to.equal(1);
            expect(record.props, domain).to.deep.include({
                zoneId,
                name: asked[0].resourceRecordName,
                type: "CNAME",
                records: [asked[0].resourceRecordValue],
                allowOverwrite: true,
            });
        }
    });

    it("validates each certificate with the records of its own names", async () => {
        const { rec } = await dns();
        const urn = (domain: string) => rec.one(RECORD, `dns-validation-${domain}`).urn;
        const originValidation = rec.one(VALIDATION, "dns-certificate-validation");
        expect(originValidation.propertyDependencies.validationRecordFqdns).to.have.members(
            ["origin.example.com", "app.example.com", "api.example.com"].map(urn),
        );
        expect(originValidation.propertyDependencies.certificateArn).to.deep.equal([origin(rec).urn]);
        const cdnValidation = rec.one(VALIDATION, "dns-cdn-certificate-validation");
        expect(cdnValidation.propertyDependencies.validationRecordFqdns).to.have.members(
            ["app.example.com", "api.example.com"].map(urn),
        );
        expect(cdnValidation.propertyDependencies.certificateArn).to.deep.equal([cdn(rec).urn]);
        expect(cdnValidation.props.validationRecordFqdns).to.have.members(
            ["app.example.com", "api.example.com"]
                .map((d) => rec.one(RECORD, `dns-validation-${d}`).props.name as string)
                .map((n) => n.replace(/\.$/, "")),
        );
    });

    it("exports the validated ARNs, so a listener or distribution waits for issuance", async () => {
        const { rec, dns: created, probe } = await dns();
        expect(probe().propertyDependencies.value).to.have.members([
            rec.one(VALIDATION, "dns-certificate-validation").urn,
            rec.one(VALIDATION, "dns-cdn-certificate-validation").urn,
        ]);
        expect(await promiseOf(created.certificateArn)).to.equal(await promiseOf(created.nodes.certificate.arn));
        expect(await promiseOf(created.cdnCertificateArn)).to.equal(await promiseOf(created.nodes.cdnCertificate.arn));
    });

    it("declares every record at a first preview, while ACM's values are still unknown", async () => {
        const result = await runProgram({
            project: "groundwork",
            stack: "test",
            config: { "aws:region": "us-east-1" },
            firstPreview: true,
            program: () => new Dns("dns", { zoneName: "example.com", createZone: true }),
        });
        const records = result.resources.filter((r) => r.type === RECORD);
        expect(records).to.have.length(3);
        for (const record of records) {
            expect(record.props.name, record.name).to.equal(UNKNOWN_SENTINEL);
        }
    });

    it("keeps logical names derived from the component and record names", async () => {
        const { rec } = await dns({ createZone: true });
        const names = rec.resources.filter((r) => r.parent?.includes("groundwork:index:Dns")).map((r) => r.name);
        expect(names).to.have.members([
            "dns-zone",
            "dns-certificate",
            "dns-cdn-certificate",
            "dns-validation-origin.example.com",
            "dns-validation-app.example.com",
            "dns-validation-api.example.com",
            "dns-certificate-validation",
            "dns-cdn-certificate-validation",
        ]);
    });
});

describe("AliasRecords", () => {
    const TARGET = { targetDomainName: "d111111abcdef8.cloudfront.net", targetHostedZoneId: "Z2FDTNDATAQYW2" };

    async function aliases(args: Partial<AliasRecordsArgs> = {}): Promise<{ rec: Recorded; records: AliasRecords }> {
        let created: AliasRecords | undefined;
        const rec = await run(() => {
            created = new AliasRecords("site", {
                zoneId: "Z0123456789",
                names: ["app.example.com", "api.example.com"],
                ...TARGET,
                ...args,
            });
        });
        return { rec, records: created! };
    }

    it("points an A and an AAAA alias of each name at the target", async () => {
        const { rec, records } = await aliases();
        expect(rec.ofType(RECORD).map((r) => r.name)).to.have.members([
            "site-app.example.com-a",
            "site-api.example.com-a",
            "site-app.example.com-aaaa",
            "site-api.example.com-aaaa",
        ]);
        for (const record of rec.ofType(RECORD)) {
            expect(record.props, record.name).to.deep.include({
                zoneId: "Z0123456789",
                type: record.name.endsWith("-aaaa") ? "AAAA" : "A",
                aliases: [
                    { name: TARGET.targetDomainName, zoneId: TARGET.targetHostedZoneId, evaluateTargetHealth: false },
                ],
            });
            expect(record.props, record.name).not.to.have.any.keys("records", "ttl", "allowOverwrite");
        }
        expect(await promiseOf(records.fqdns)).to.deep.equal(["app.example.com", "api.example.com"]);
    });

    it("makes A records only without IPv6, and evaluates target health when asked", async () => {
        const { rec } = await aliases({ ipv6: false, evaluateTargetHealth: true, names: ["origin.example.com"] });
        const [record] = rec.ofType(RECORD);
        expect(rec.ofType(RECORD)).to.have.length(1);
        expect(record.props.type).to.equal("A");
        expect((record.props.aliases as { evaluateTargetHealth: boolean }[])[0].evaluateTargetHealth).to.equal(true);
    });

    it("names each record by its own name, so adding or reordering names leaves the others alone", async () => {
        const urns = (rec: Recorded) => new Set(rec.ofType(RECORD).map((r) => r.urn));
        const before = urns((await aliases()).rec);
        const after = urns((await aliases({ names: ["www.example.com", "API.example.com.", "app.example.com"] })).rec);
        for (const urn of before) {
            expect(after.has(urn), urn).to.equal(true);
        }
        expect(after.size).to.equal(before.size + 2);
    });

    it("refuses no names, repeated names and names that are not DNS names", () => {
        const fails = (names: string[], why: RegExp) =>
            expect(() => normalizeAliasRecordsArgs("site", { zoneId: "Z1", names, ...TARGET }))
                .to.throw(/^AliasRecords "site": args\.names /)
                .with.property("message")
                .that.matches(why);
        fails([], /is empty/);
        fails(["app.example.com", "App.Example.com."], /"app\.example\.com" twice/);
        fails(["app..example.com"], /label ""/);
    });
});
