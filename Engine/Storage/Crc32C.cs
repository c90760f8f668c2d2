using System.Buffers.Binary;
using System.Numerics;

namespace Quasar.Storage;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), initial value 0xFFFFFFFF, final XOR
/// 0xFFFFFFFF - the variant iSCSI, ext4 and most storage formats use. Hardware accelerated
/// through <see cref="BitOperations.Crc32C(uint, ulong)"/> where the CPU supports it.
/// </summary>
internal static class Crc32C
{
    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(uint.MaxValue, data);

    /// <summary>Feeds <paramref name="data"/> into a running (un-finalized) CRC state.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }

        return state;
    }

    /// <summary>Starts a running CRC state.</summary>
    public static uint Start() => uint.MaxValue;

    /// <summary>Feeds one little-endian 64-bit value into a running CRC state.</summary>
    public static uint Append(uint state, ulong value) => BitOperations.Crc32C(state, value);

    /// <summary>Feeds one little-endian 32-bit value into a running CRC state.</summary>
    public static uint Append(uint state, uint value) => BitOperations.Crc32C(state, value);

    /// <summary>Turns a running state into the final CRC.</summary>
    public static uint Finish(uint state) => ~state;
}
