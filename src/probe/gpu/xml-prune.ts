/**
 * Elements of `nvidia-smi -q -x` the probe never reads. They are most of the document (hundreds of
 * supported clocks on consumer boards, ECC and clock-reason counters, per-MIG attributes), so cutting
 * them out of the text before parsing saves most of the parse time and the garbage it leaves.
 */
export const UNREAD_ELEMENTS = [
  'supported_clocks', 'ecc_errors', 'ecc_error_count', 'retired_pages', 'remapped_rows', 'clocks_event_reasons',
  'clocks_throttle_reasons', 'clocks_event_reasons_counters', 'encoder_stats', 'fbc_stats', 'clocks',
  'applications_clocks', 'default_applications_clocks', 'deferred_clocks', 'max_clocks', 'max_customer_boost_clocks',
  'clock_policy', 'voltage', 'fabric', 'capabilities', 'accounted_processes', 'module_power_readings',
  'gpu_memory_power_readings', 'inforom_version', 'ecc_mode', 'device_attributes', 'bar1_memory_usage',
  'cc_protected_memory_usage', 'supported_gpu_target_temp', 'gpu_operation_mode', 'gpu_virtualization_mode',
  // Per-GPU identity, PCIe link and mode elements: about a quarter of what is left on a MIG host after the above.
  'pci_gpu_link_info', 'pci_bridge_chip', 'product_brand', 'product_architecture', 'display_mode', 'display_active',
  'persistence_mode', 'addressing_mode', 'accounting_mode', 'accounting_mode_buffer_size', 'driver_model', 'serial',
  'minor_number', 'vbios_version', 'multigpu_board', 'board_id', 'board_part_number', 'gpu_part_number',
  'gpu_fru_part_number', 'gpu_module_id', 'gsp_firmware_version', 'gpu_reset_status', 'ibmnpu', 'relaxed_ordering_mode',
  'fan_speed', 'performance_state', 'compute_mode',
] as const;

const OPEN_TAG = new RegExp(`<(${UNREAD_ELEMENTS.join('|')})( ?/>|>)`, 'g');

/**
 * Remove every `<name>…</name>` (and `<name />`) of UNREAD_ELEMENTS from the text in one pass. Only
 * complete elements are cut: an opening tag without its closing tag is left for the parser to judge.
 */
export function pruneUnreadSubtrees(xml: string): string {
  const parts: string[] = [];
  let from = 0;
  const open = new RegExp(OPEN_TAG);
  for (let m = open.exec(xml); m !== null; m = open.exec(xml)) {
    const name = m[1] ?? '';
    let end = open.lastIndex;
    if (m[2] === '>') {
      const close = xml.indexOf(`</${name}>`, end);
      if (close < 0) break;
      end = close + name.length + 3;
    }
    parts.push(xml.slice(from, m.index));
    from = end;
    open.lastIndex = end;
  }
  parts.push(xml.slice(from));
  return parts.join('');
}
