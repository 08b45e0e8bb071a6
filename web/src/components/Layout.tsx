import { Link, Outlet, useNavigate } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { useSignedIn } from "../auth";
import { signOut } from "../api/session";
import { Button } from "./ui";

export function Layout() {
  const signedIn = useSignedIn();
  const navigate = useNavigate();
  const queries = useQueryClient();
  return (
    <div className="min-h-screen bg-slate-50 font-sans text-slate-900">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-300 bg-white">
        <nav aria-label="Main" className="mx-auto flex max-w-7xl items-center justify-between px-4 py-3">
          <Link to="/" className="text-lg font-semibold text-blue-800">
            Shortlist
          </Link>
          <div className="flex items-center gap-3">
            {signedIn ? (
              <>
                <Link to="/app" className="text-sm font-semibold text-slate-800 underline-offset-4 hover:underline">
                  My resumes
                </Link>
                <Link to="/app/applications" className="text-sm font-semibold text-slate-800 underline-offset-4 hover:underline">
                  My applications
                </Link>
                <Link to="/app/orgs" className="text-sm font-semibold text-slate-800 underline-offset-4 hover:underline">
                  Recruiting
                </Link>
                <Link to="/app/trash" className="text-sm font-semibold text-slate-800 underline-offset-4 hover:underline">
                  Trash
                </Link>
                <Link to="/app/account" className="text-sm font-semibold text-slate-800 underline-offset-4 hover:underline">
                  Account
                </Link>
                <Button
                  variant="secondary"
                  onClick={async () => {
                    await signOut();
                    queries.clear();
                    await navigate({ to: "/" });
                  }}
                >
                  Sign out
                </Button>
              </>
            ) : (
              <>
                <Link to="/sign-in" className="text-sm font-semibold text-slate-800 underline-offset-4 hover:underline">
                  Sign in
                </Link>
                <Link to="/sign-up" className="rounded-md bg-blue-700 px-3 py-2 text-sm font-semibold text-white hover:bg-blue-800">
                  Create an account
                </Link>
              </>
            )}
          </div>
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}
