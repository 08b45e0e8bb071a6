import { authorizedFetch } from "./client";

export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Server-sent events over fetch (EventSource cannot send the Authorization header). */
export async function streamEvents(url: string, onEvent: (event: StreamEvent) => void, signal: AbortSignal): Promise<void> {
  const response = await authorizedFetch(url, { headers: { Accept: "text/event-stream" }, signal });
  if (!response.ok || !response.body) throw new Error(`The progress stream answered ${response.status}.`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      let name = "message";
      const data: string[] = [];
      for (const line of frame.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trim());
      }
      if (data.length) onEvent({ event: name, data: JSON.parse(data.join("\n")) });
    }
  }
}
