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

type RecruiterScreen = keyof typeof import("./recruiter/screens");

function recruiterRoute<const Path extends string>(path: Path, screen: RecruiterScreen) {
  return createRoute({
    getParentRoute: () => rootRoute,
    path,
    component: lazyRouteComponent(() => import("./recruiter/screens"), screen),
    beforeLoad: requireSession,
  });
}

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
  // Recruiter screens: one lazily loaded chunk, so job seekers never download them.
  recruiterRoute("/app/orgs", "Organizations"),
  recruiterRoute("/app/orgs/$orgId", "Jobs"),
  recruiterRoute("/app/orgs/$orgId/settings", "OrganizationSettings"),
  recruiterRoute("/app/orgs/$orgId/jobs/new", "NewJob"),
  recruiterRoute("/app/orgs/$orgId/jobs/$jobId", "RankedApplications"),
  recruiterRoute("/app/orgs/$orgId/jobs/$jobId/edit", "EditJob"),
  recruiterRoute("/app/orgs/$orgId/jobs/$jobId/pipeline", "Pipeline"),
  createRoute({
    getParentRoute: () => rootRoute,
    path: "/app/orgs/$orgId/jobs/$jobId/settings",
    // Stage editing brings the sortable list: a chunk of its own, off the everyday recruiter screens.
    component: lazyRouteComponent(() => import("./recruiter/JobSettings"), "JobSettings"),
    beforeLoad: requireSession,
  }),
  recruiterRoute("/app/orgs/$orgId/jobs/$jobId/applications/$applicationId", "ApplicationView"),
  createRoute({
    getParentRoute: () => rootRoute,
    path: "/app/apply/$postingId",
    validateSearch: (search: Record<string, unknown>): { title?: string } => ({
      title: typeof search.title === "string" ? search.title : undefined,
    }),
    component: lazyRouteComponent(() => import("./candidate/Applications"), "ApplyWithResume"),
    beforeLoad: requireSession,
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: "/app/applications",
    validateSearch: (search: Record<string, unknown>): { applied?: string } => ({
      applied: typeof search.applied === "string" ? search.applied : undefined,
    }),
    component: lazyRouteComponent(() => import("./candidate/Applications"), "MyApplications"),
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
