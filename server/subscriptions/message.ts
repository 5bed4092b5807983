// What a delivery sends: a title, a few short zh-CN lines with the key figures, a link to the cockpit
// and, for reports, the file. Email attaches the file; group robots get the text and the link.
export interface ReportFile {
  name: string;
  contentType: string;
  content: Buffer;
}

export interface Message {
  title: string;
  lines: string[];
  /** the cockpit page to open */
  link: string;
  file?: ReportFile;
}

/** Plain text: title, lines, link (email body, Feishu text). */
export function plainText(m: Message): string {
  return [m.title, '', ...m.lines, '', `查看详情：${m.link}`].join('\n');
}

/** Markdown for DingTalk and WeCom robots. */
export function markdownText(m: Message): string {
  return [`### ${m.title}`, ...m.lines.map((l) => `- ${l}`), '', `[打开驾驶舱](${m.link})`].join('\n');
}
