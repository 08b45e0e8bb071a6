// The autosave state machine, free of React so that it can be tested on its own.
//   saved --edit--> dirty --(quiet period)--> saving --ok--> saved (or dirty if edited meanwhile)
//   saving --412--> conflict (stops until the person chooses)   saving --other error--> error (retried on edit)

export type SaveStatus = "saved" | "dirty" | "saving" | "conflict" | "error";

export interface SaveState {
  status: SaveStatus;
  version: number; // the server version our copy is based on (sent as If-Match)
  pending: number; // edits made since the save in flight started
  message: string | null;
}

export type SaveEvent =
  | { type: "edit" }
  | { type: "start" }
  | { type: "success"; version: number }
  | { type: "conflict"; message: string }
  | { type: "failure"; message: string }
  | { type: "resolved"; version: number; dirty: boolean };

export function initialSave(version: number): SaveState {
  return { status: "saved", version, pending: 0, message: null };
}

export function saveReducer(state: SaveState, event: SaveEvent): SaveState {
  switch (event.type) {
    case "edit":
      if (state.status === "conflict") return state;
      if (state.status === "saving") return { ...state, pending: state.pending + 1 };
      return { ...state, status: "dirty", message: null };
    case "start":
      if (state.status !== "dirty" && state.status !== "error") return state;
      return { ...state, status: "saving", pending: 0 };
    case "success":
      return {
        ...state,
        status: state.pending > 0 ? "dirty" : "saved",
        version: event.version,
        pending: 0,
        message: null,
      };
    case "conflict":
      return { ...state, status: "conflict", message: event.message };
    case "failure":
      return { ...state, status: "error", message: event.message };
    case "resolved":
      return { status: event.dirty ? "dirty" : "saved", version: event.version, pending: 0, message: null };
  }
}

export function etag(version: number): string {
  return `"r${version}"`;
}

export function shouldSave(state: SaveState): boolean {
  return state.status === "dirty";
}
