import "./styles.css";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  RouterProvider,
} from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { accessToken } from "./api/session";
import { Layout } from "./components/Layout";
import { SignIn, SignUp } from "./pages/Auth";
import { Account } from "./pages/Account";
import { Dashboard } from "./pages/Dashboard";
import { ImportProgress } from "./pages/Import";
import { Landing } from "./pages/Landing";
import { ForgotPassword } from "./pages/Recovery";
import { Trash } from "./pages/Trash";

const rootRoute = createRootRoute({ component: Layout, notFoundComponent: NotFound });

function NotFound() {
  return (
    <div>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2">
        <a href="/" className="text-blue-800 underline">
          Go to the start page
        </a>
      </p>
    </div>
  );
}

const requireSession = () => {
  if (!accessToken()) throw redirect({ to: "/sign-in" });
};

const routes = [
  createRoute({ getParentRoute: () => rootRoute, path: "/", component: Landing }),
  createRoute({ getParentRoute: () => rootRoute, path: "/sign-in", component: SignIn }),
  createRoute({ getParentRoute: () => rootRoute, path: "/sign-up", component: SignUp }),
  createRoute({ getParentRoute: () => rootRoute, path: "/forgot-password", component: ForgotPassword }),
  createRoute({ getParentRoute: () => rootRoute, path: "/app", component: Dashboard, beforeLoad: requireSession }),
  createRoute({ getParentRoute: () => rootRoute, path: "/app/trash", component: Trash, beforeLoad: requireSession }),
  createRoute({ getParentRoute: () => rootRoute, path: "/app/account", component: Account, beforeLoad: requireSession }),
  createRoute({ getParentRoute: () => rootRoute, path: "/app/import/$jobId", component: ImportProgress, beforeLoad: requireSession }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: "/app/resumes/$resumeId",
    // The editor is its own chunk: the landing page and dashboard do not pay for it.
    component: lazyRouteComponent(() => import("./editor/Editor"), "EditorPage"),
    beforeLoad: requireSession,
  }),
];

const router = createRouter({ routeTree: rootRoute.addChildren(routes), defaultPreload: "intent" });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

/** Called by boot.ts once a returning visitor's cookie has become an access token (or has not). */
export function start(): void {
  createRoot(document.getElementById("root") as HTMLElement).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  );
}
