// The first module to run: it asks for the session while the app's larger chunk downloads and compiles,
// instead of after it.
import { refreshAccess } from "./api/session";

const session = refreshAccess();
void import("./main").then(({ start }) => session.finally(start));
