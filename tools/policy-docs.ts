/**
 * Prints the policy pack's rule table as Markdown, for the README:
 *
 *   npm run policy:docs
 */
import { CatalogueEntry, policyCatalogue } from "../policy/rules";

const FAMILY_TITLES: Record<CatalogueEntry["family"], string> = {
    encryption: "Encryption at rest and in transit",
    network: "Network exposure and private data stores",
    alarms: "Alarm coverage",
    resilience: "Resilience and data-loss protection",
    iam: "IAM least privilege",
    logging: "Logging",
};

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function policyTable(entries: CatalogueEntry[] = policyCatalogue()): string {
    const lines: string[] = [];
    for (const family of Object.keys(FAMILY_TITLES) as CatalogueEntry["family"][]) {
        const rows = entries.filter((e) => e.family === family);
        if (rows.length === 0) {
            continue;
        }
        lines.push(`### ${FAMILY_TITLES[family]}`, "");
        lines.push("| Policy | Kind | Default | Checks | Config | Source |", "|---|---|---|---|---|---|");
        for (const e of rows) {
            const config = e.config.length > 0 ? e.config.map((c) => `\`${c}\``).join(", ") : "";
            const level = e.prodOnly ? `${e.enforcementLevel} in prod, off in dev` : e.enforcementLevel;
            lines.push(
                `| \`${e.name}\` | ${e.kind} | ${level} | ${cell(e.description)} | ${config} | ${cell(e.source)} |`,
            );
        }
        lines.push("");
    }
    return lines.join("\n");
}

if (require.main === module) {
    process.stdout.write(policyTable());
}
