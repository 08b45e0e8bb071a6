import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, problemText } from "../api/client";
import { signIn } from "../api/session";
import { Alert, Button, TextInput } from "../components/ui";

/** Forgotten password: ask for the e-mail, then set a new password with the token it carries. */
export function ForgotPassword() {
  const navigate = useNavigate();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const request = useForm<{ email: string }>();
  const confirm = useForm<{ token: string; password: string }>();

  const ask = request.handleSubmit(async ({ email }) => {
    setMessage(null);
    const { data, error } = await api.POST("/v1/auth/password-reset", { body: { email } });
    if (error) setMessage(problemText(error));
    else {
      setSentTo(email);
      setMessage(data?.detail ?? null);
    }
  });
  const reset = confirm.handleSubmit(async ({ token, password }) => {
    const { error } = await api.POST("/v1/auth/password-reset/confirm", { body: { token: token.trim(), new_password: password } });
    if (error) {
      setMessage(problemText(error));
      return;
    }
    if (sentTo) {
      await signIn(sentTo, password);
      await navigate({ to: "/app" });
    } else await navigate({ to: "/sign-in" });
  });

  return (
    <div className="mx-auto flex max-w-md flex-col gap-4 rounded-lg border border-slate-300 bg-white p-6">
      <h1 className="text-2xl font-semibold">Reset your password</h1>
      {message && <Alert tone={sentTo && !confirm.formState.isSubmitted ? "info" : "error"}>{message}</Alert>}
      <form onSubmit={ask} className="flex flex-col gap-3" noValidate>
        <TextInput label="E-mail" type="email" autoComplete="email" {...request.register("email", { required: true })} />
        <Button type="submit" variant={sentTo ? "secondary" : "primary"}>
          {sentTo ? "Send again" : "Send the reset e-mail"}
        </Button>
      </form>
      {sentTo && (
        <form onSubmit={reset} className="flex flex-col gap-3 border-t border-slate-200 pt-4" noValidate>
          <TextInput label="Token from the e-mail" autoComplete="one-time-code" {...confirm.register("token", { required: true })} />
          <TextInput label="New password" type="password" autoComplete="new-password" {...confirm.register("password", { required: true })} />
          <Button type="submit">Set the new password</Button>
        </form>
      )}
      <Link to="/sign-in" className="text-sm font-semibold text-blue-800 underline">
        Back to sign in
      </Link>
    </div>
  );
}

/** Confirm the e-mail address with the token from the confirmation e-mail, or ask for another. */
export function ConfirmEmail({ onConfirmed }: { onConfirmed: () => void }) {
  const [message, setMessage] = useState<{ tone: "error" | "success" | "info"; text: string } | null>(null);
  const { register, handleSubmit } = useForm<{ token: string }>();
  const submit = handleSubmit(async ({ token }) => {
    const { error } = await api.POST("/v1/auth/verify-email", { body: { token: token.trim() } });
    if (error) setMessage({ tone: "error", text: problemText(error) });
    else {
      setMessage({ tone: "success", text: "Your e-mail address is confirmed." });
      onConfirmed();
    }
  });
  return (
    <section aria-labelledby="confirm-heading" className="rounded-lg border border-slate-300 bg-white p-4">
      <h2 id="confirm-heading" className="text-lg font-semibold">
        Confirm your e-mail address
      </h2>
      <form onSubmit={submit} className="mt-2 flex flex-wrap items-end gap-3" noValidate>
        <TextInput label="Token from the confirmation e-mail" className="flex-1" {...register("token", { required: true })} />
        <Button type="submit">Confirm</Button>
        <Button
          variant="secondary"
          onClick={async () => {
            const { data, error } = await api.POST("/v1/auth/verify-email/request");
            setMessage(error ? { tone: "error", text: problemText(error) } : { tone: "info", text: data?.detail ?? "Sent." });
          }}
        >
          Send it again
        </Button>
      </form>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
    </section>
  );
}
