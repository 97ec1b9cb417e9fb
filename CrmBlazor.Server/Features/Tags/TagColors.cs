using MudBlazor;

namespace CrmBlazor.Server.Features.Tags;

/// <summary>Tags store a MudBlazor colour by name; unknown names fall back to the default chip.</summary>
public static class TagColors
{
    public static readonly string[] Names = [nameof(Color.Default), nameof(Color.Primary), nameof(Color.Secondary), nameof(Color.Info), nameof(Color.Success), nameof(Color.Warning), nameof(Color.Error)];

    public static Color Of(string? name) => Enum.TryParse<Color>(name, out var color) ? color : Color.Default;
}
