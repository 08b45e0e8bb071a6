import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, problemText } from "../api/client";
import { signIn } from "../api/session";
import { Alert, Button, TextInput } from "../components/ui";

interface Credentials {
  email: string;
  password: string;
  name?: string;
}

function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<Credentials>();

  const submit = handleSubmit(async ({ email, password, name }) => {
    setFailure(null);
    try {
      if (mode === "sign-up") {
        const { error } = await api.POST("/v1/auth/register", { body: { email, password, name: name || null } });
        if (error) throw error;
      }
      await signIn(email, password);
      await navigate({ to: "/app" });
    } catch (error) {
      setFailure(problemText(error));
    }
  });

  const heading = mode === "sign-in" ? "Sign in" : "Create your account";
  return (
    <div className="mx-auto max-w-md rounded-lg border border-slate-300 bg-white p-6">
      <h1 className="text-2xl font-semibold">{heading}</h1>
      <form onSubmit={submit} className="mt-4 flex flex-col gap-4" noValidate>
        {failure && <Alert>{failure}</Alert>}
        {mode === "sign-up" && <TextInput label="Your name" autoComplete="name" {...register("name")} />}
        <TextInput
          label="E-mail"
          type="email"
          autoComplete="email"
          error={errors.email?.message}
          {...register("email", { required: "Enter your e-mail address." })}
        />
        <TextInput
          label="Password"
          type="password"
          autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
          error={errors.password?.message}
          {...register("password", {
            required: "Enter a password.",
            minLength: mode === "sign-up" ? { value: 10, message: "Use at least 10 characters." } : undefined,
          })}
        />
        <Button type="submit" disabled={isSubmitting}>
          {mode === "sign-in" ? "Sign in" : "Create account"}
        </Button>
      </form>
      <p className="mt-4 text-sm text-slate-700">
        {mode === "sign-in" ? (
          <>
            <Link to="/forgot-password" className="font-semibold text-blue-800 underline">
              Forgot your password?
            </Link>{" "}
            New here? <Link to="/sign-up" className="font-semibold text-blue-800 underline">Create an account</Link>
          </>
        ) : (
          <>
            Already registered? <Link to="/sign-in" className="font-semibold text-blue-800 underline">Sign in</Link>
          </>
        )}
      </p>
    </div>
  );
}

export const SignIn = () => <AuthForm mode="sign-in" />;
export const SignUp = () => <AuthForm mode="sign-up" />;
