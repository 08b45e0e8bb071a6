import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, must, problemText } from "../api/client";
import { Alert, Button, TextInput } from "../components/ui";

/** Signed event notifications to the person's own URLs: create (secret shown once), list, delete. */
export function Webhooks() {
  const queries = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const types = useQuery({ queryKey: ["webhook-types"], queryFn: async () => must(await api.GET("/v1/webhooks/event-types")) });
  const hooks = useQuery({ queryKey: ["webhooks"], queryFn: async () => must(await api.GET("/v1/webhooks", { params: { query: { limit: 100 } } })) });
  const { register, handleSubmit, reset } = useForm<{ url: string; events: string[] }>({ defaultValues: { events: [] } });
  const create = useMutation({
    mutationFn: async ({ url, events }: { url: string; events: string[] }) =>
      must(await api.POST("/v1/webhooks", { body: { url, event_types: events.length ? events : ["*"], active: true } })),
    onSuccess: async (hook) => {
      setSecret(hook.secret);
      reset();
      await queries.invalidateQueries({ queryKey: ["webhooks"] });
    },
  });
  const remove = useMutation({
    mutationFn: async (id: string) => {
      const { error } = await api.DELETE("/v1/webhooks/{webhook_id}", { params: { path: { webhook_id: id } } });
      if (error) throw error;
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ["webhooks"] }),
  });
  return (
    <section aria-labelledby="webhooks-heading" className="rounded-lg border border-slate-300 bg-white p-4">
      <h2 id="webhooks-heading" className="text-lg font-semibold">
        Webhooks
      </h2>
      <form onSubmit={handleSubmit((values) => create.mutate(values))} className="mt-2 flex flex-col gap-3">
        <TextInput label="Endpoint URL" type="url" {...register("url", { required: true })} />
        <fieldset className="flex flex-wrap gap-4">
          <legend className="text-sm font-semibold">Events (none ticked: all of them)</legend>
          {types.data?.map((type) => (
            <label key={type.name} className="flex items-center gap-1 text-sm">
              <input type="checkbox" value={type.name} {...register("events")} /> {type.name}
            </label>
          ))}
        </fieldset>
        <Button type="submit" className="self-start">
          Add webhook
        </Button>
      </form>
      {create.isError && <Alert>{problemText(create.error)}</Alert>}
      {secret && (
        <Alert tone="success">
          Signing secret (shown once): <code className="break-all" data-testid="webhook-secret">{secret}</code>
        </Alert>
      )}
      <ul className="mt-3 flex flex-col gap-1" aria-label="Your webhooks">
        {hooks.data?.items.map((hook) => (
          <li key={hook.id} className="flex items-center justify-between gap-2 border-t border-slate-200 py-1">
            <span className="break-all">
              {hook.url} <span className="text-xs">{hook.event_types.join(", ")}</span>
              {hook.disabled_reason && <span className="block text-xs text-red-800">Disabled: {hook.disabled_reason}</span>}
            </span>
            <Button variant="ghost" onClick={() => remove.mutate(hook.id)}>
              Delete webhook {hook.url}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
