import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, must, problemText } from "../api/client";
import type { Schemas } from "../api/client";
import { signIn, signOut } from "../api/session";
import { Alert, Button, TextInput } from "../components/ui";
import { ConfirmEmail } from "./Recovery";
import { Webhooks } from "./Webhooks";

type Scope = Schemas["Scope"];
const KEY_SCOPES: Scope[] = ["resumes:read", "resumes:write", "jobs:read", "profile:read"];

export function Account() {
  const queries = useQueryClient();
  const me = useQuery({ queryKey: ["me"], queryFn: async () => must(await api.GET("/v1/users/me")) });
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <h1 className="text-2xl font-semibold">Account</h1>
      {me.data && (
        <p>
          Signed in as <span className="font-semibold">{me.data.email}</span>
          {me.data.email_verified_at ? " (confirmed)" : " (not confirmed yet)"}
        </p>
      )}
      {me.data && !me.data.email_verified_at && <ConfirmEmail onConfirmed={() => void queries.invalidateQueries({ queryKey: ["me"] })} />}
      {me.data && <Password email={me.data.email} />}
      <ApiKeys />
      <Webhooks />
      <DataAndDeletion />
    </div>
  );
}

function Password({ email }: { email: string }) {
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const { register, handleSubmit, reset } = useForm<{ current: string; next: string }>();
  const submit = handleSubmit(async ({ current, next }) => {
    const { error } = await api.POST("/v1/users/me/password", { body: { current_password: current, new_password: next } });
    if (error) setMessage({ tone: "error", text: problemText(error) });
    else {
      // A password change ends every sign-in, this one included: sign this browser in again.
      await signIn(email, next);
      reset();
      setMessage({ tone: "success", text: "Password changed. Every other sign-in was signed out." });
    }
  });
  return (
    <section aria-labelledby="password-heading" className="rounded-lg border border-slate-300 bg-white p-4">
      <h2 id="password-heading" className="text-lg font-semibold">
        Password
      </h2>
      <form onSubmit={submit} className="mt-2 grid gap-3 md:grid-cols-2">
        <TextInput label="Current password" type="password" autoComplete="current-password" {...register("current", { required: true })} />
        <TextInput label="New password" type="password" autoComplete="new-password" {...register("next", { required: true })} />
        <Button type="submit" className="self-start">
          Change password
        </Button>
      </form>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
    </section>
  );
}

function ApiKeys() {
  const queries = useQueryClient();
  const [created, setCreated] = useState<string | null>(null);
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: async () => must(await api.GET("/v1/api-keys", { params: { query: { limit: 100 } } })) });
  const { register, handleSubmit, reset } = useForm<{ name: string; scopes: Scope[] }>({ defaultValues: { scopes: ["resumes:read"] } });
  const create = useMutation({
    mutationFn: async ({ name, scopes }: { name: string; scopes: Scope[] }) => must(await api.POST("/v1/api-keys", { body: { name, scopes } })),
    onSuccess: async (key) => {
      setCreated(key.key);
      reset();
      await queries.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => {
      const { error } = await api.DELETE("/v1/api-keys/{key_id}", { params: { path: { key_id: id } } });
      if (error) throw error;
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ["api-keys"] }),
  });
  return (
    <section aria-labelledby="keys-heading" className="rounded-lg border border-slate-300 bg-white p-4">
      <h2 id="keys-heading" className="text-lg font-semibold">
        API keys
      </h2>
      <form onSubmit={handleSubmit((values) => create.mutate(values))} className="mt-2 flex flex-col gap-3">
        <TextInput label="Key name" {...register("name", { required: true })} />
        <fieldset className="flex flex-wrap gap-4">
          <legend className="text-sm font-semibold">Allowed</legend>
          {KEY_SCOPES.map((scope) => (
            <label key={scope} className="flex items-center gap-1 text-sm">
              <input type="checkbox" value={scope} {...register("scopes", { required: true })} /> {scope}
            </label>
          ))}
        </fieldset>
        <Button type="submit" className="self-start">
          Create key
        </Button>
      </form>
      {create.isError && <Alert>{problemText(create.error)}</Alert>}
      {created && (
        <Alert tone="success">
          Your new key (shown once): <code className="break-all" data-testid="api-key">{created}</code>
        </Alert>
      )}
      <ul className="mt-3 flex flex-col gap-1" aria-label="Your API keys">
        {keys.data?.items.map((key) => (
          <li key={key.id} className="flex items-center justify-between border-t border-slate-200 py-1">
            <span>
              {key.name} <code className="text-xs">{key.display_prefix}…</code> <span className="text-xs">{key.scopes.join(", ")}</span>
            </span>
            <Button variant="ghost" onClick={() => revoke.mutate(key.id)}>
              Revoke {key.name}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function DataAndDeletion() {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [confirm, setConfirm] = useState("");
  const [failure, setFailure] = useState<string | null>(null);

  async function exportData() {
    // Everything the account holds, as JSON: the profile and every resume with its content.
    const me = must(await api.GET("/v1/users/me"));
    const list = must(await api.GET("/v1/resumes", { params: { query: { limit: 100 } } }));
    const resumes = await Promise.all(
      list.items.map(async (r) => must(await api.GET("/v1/resumes/{resume_id}", { params: { path: { resume_id: r.id } } }))),
    );
    const url = URL.createObjectURL(new Blob([JSON.stringify({ account: me, resumes }, null, 2)], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "shortlist-export.json";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function deleteAccount() {
    const { error } = await api.DELETE("/v1/users/me");
    if (error) {
      setFailure(problemText(error));
      return;
    }
    await signOut();
    queries.clear();
    await navigate({ to: "/" });
  }

  return (
    <section aria-labelledby="data-heading" className="rounded-lg border border-slate-300 bg-white p-4">
      <h2 id="data-heading" className="text-lg font-semibold">
        Your data
      </h2>
      <div className="mt-2 flex flex-col gap-3">
        <Button variant="secondary" className="self-start" onClick={() => void exportData()}>
          Export my data
        </Button>
        <TextInput label='Type "delete my account" to confirm' value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        <Button variant="danger" className="self-start" disabled={confirm !== "delete my account"} onClick={() => void deleteAccount()}>
          Delete my account
        </Button>
        {failure && <Alert>{failure}</Alert>}
      </div>
    </section>
  );
}
