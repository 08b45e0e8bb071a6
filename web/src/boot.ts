// The first module to run: it asks for the session and starts the requests the first screen will make,
// and only then loads the app's main chunk, whose compilation would otherwise hold those requests back.
import { prefetchForPath } from "./api/prefetch";
import { refreshAccess } from "./api/session";

void refreshAccess()
  .then((signedIn) => {
    if (signedIn) prefetchForPath(window.location.pathname);
  })
  .finally(() => import("./main").then(({ start }) => start()));
