import { useSyncExternalStore } from "react";
import { accessToken, onSessionChange } from "./api/session";

export function useSignedIn(): boolean {
  return useSyncExternalStore(
    (notify) => onSessionChange(() => notify()),
    () => accessToken() !== null,
  );
}
